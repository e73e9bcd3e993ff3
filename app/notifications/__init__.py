"""WhatsApp and in-app notifications through a transactional outbox."""
