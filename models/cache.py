"""One counter that says when rarely changing data last changed: role grants, Plt./Plh.
appointments, days off, stage targets and the permit catalogue. Database triggers
(migration 0031_cache_generation) add one to it on every change of those tables, by the
app, Flask-AppBuilder's screens or plain SQL; each process drops what it keeps of them
when it sees a new value (app/process_cache.py)."""

from flask_appbuilder import Model
from sqlalchemy import BigInteger, Column, Integer


class CacheGeneration(Model):
    """The only row has id 1."""

    __tablename__ = "cache_generation"

    id = Column(Integer, primary_key=True)
    value = Column(BigInteger, nullable=False, default=0)
