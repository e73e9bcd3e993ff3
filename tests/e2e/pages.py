"""What a person does on the app's pages, in Playwright terms, shared by the browser
tests: sign in, register, fill a form, upload, press a workflow button, take a
screenshot. Everything goes through the rendered pages (links, buttons, file inputs)."""

import contextlib
import io
import re
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from PIL import Image, ImageDraw
from playwright.sync_api import expect
from pyhanko.sign.validation.status import SignatureCoverageLevel

from app.seed.demo import DEMO_SIGNERS, DEMO_USERS
from app.signing.pades import is_authentic, signature_statuses
from tests.e2e.decree_pages import check_signed_decree, emblem_png

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
# The demo head of office, who signs: (name, NIP) as the seed gives them.
HEAD_OF_OFFICE = (DEMO_USERS["kepaladinas"][1], DEMO_SIGNERS["kepaladinas"][0])
# Generous: in CI the browser tests share two cores with the SQLite suite.
TIMEOUT_MS = 60_000


class Web:
    """The browser side of one test: a context per signed-in person, numbered screenshots
    in `folder` (emptied when its test module starts), and a record of what must never
    happen (requests leaving 127.0.0.1, Content-Security-Policy violations, uncaught
    script errors)."""

    def __init__(self, browser, server, folder):
        self.browser = browser
        self.server = server
        self.folder = Path(folder)
        self.files = self.folder / "files"
        self.files.mkdir(parents=True, exist_ok=True)
        self.step = len(list(self.folder.glob("*.png")))  # after the module's earlier tests
        self.started = time.monotonic()
        self.contexts = []
        self.foreign_requests = []
        self.csp_violations = []
        self.script_errors = []
        self.server_errors = []
        self.console_errors = []

    # --- contexts and pages ----------------------------------------------------

    def context(self, viewport=DESKTOP, **options):
        context = self.browser.new_context(
            base_url=self.server.url, viewport=viewport, locale="id-ID",
            timezone_id="Asia/Jakarta", accept_downloads=True, **options,
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.on("request", self._check_request)
        context.on("response", self._check_response)
        context.on("page", self._watch_page)
        self.contexts.append(context)
        return context

    def _check_request(self, request):
        url = urlsplit(request.url)
        # Not the network: Chromium's PDF viewer loads its own files from the browser.
        if url.scheme in ("data", "blob", "about", "chrome-error", "chrome",
                          "chrome-extension"):
            return
        if url.hostname != "127.0.0.1" or url.port != self.server.port:
            self.foreign_requests.append(request.url)

    def _check_response(self, response):
        if response.status >= 500:
            self.server_errors.append(f"{response.status} {response.request.method} "
                                      f"{response.url}")

    def _watch_page(self, page):
        def on_console(message):
            if message.type != "error":
                return
            entry = f"{page.url}: {message.text}"
            if "Content Security Policy" in message.text:
                self.csp_violations.append(entry)
            else:
                self.console_errors.append(entry)

        page.on("console", on_console)
        page.on("pageerror", lambda error: self.script_errors.append(f"{page.url}: {error}"))

    def new_page(self, viewport=DESKTOP, **options):
        return self.context(viewport, **options).new_page()

    def login(self, username, password=None, viewport=DESKTOP, **options):
        """A new browser session signed in as `username` through the login form."""
        page = self.new_page(viewport, **options)
        page.goto("/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password or self.server.password)
        page.click("input[type=submit]")
        page.wait_for_load_state()
        expect(page).not_to_have_url(re.compile(r"/login/"))
        expect(page.locator("body")).not_to_contain_text("Invalid login")
        return page

    def close(self):
        for context in self.contexts:
            context.close()
        self.contexts.clear()
        if self.console_errors:
            with (self.folder / "console-errors.txt").open("a") as log:
                log.writelines(f"{entry}\n" for entry in self.console_errors)

    # --- evidence --------------------------------------------------------------

    def shot(self, page, name, full_page=True):
        self.step += 1
        path = self.folder / f"{self.step:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        with (self.folder / "timings.txt").open("a") as log:
            log.write(f"{time.monotonic() - self.started:7.1f} s  {path.name}\n")
        return path

    def shot_every_page(self, name):
        for context in self.contexts:
            for page in context.pages:
                with contextlib.suppress(Exception):  # a crashed or closed page
                    self.shot(page, name)

    def write(self, name, content):
        path = self.files / name
        path.write_bytes(content)
        return path

    def assert_clean(self):
        problems = []
        if self.foreign_requests:
            problems.append("requests left 127.0.0.1: " + ", ".join(self.foreign_requests))
        if self.csp_violations:
            problems.append("Content-Security-Policy violations: "
                            + " | ".join(self.csp_violations))
        if self.script_errors:
            problems.append("uncaught script errors: " + " | ".join(self.script_errors))
        if self.server_errors:
            problems.append("server errors: " + " | ".join(self.server_errors))
        assert not problems, "\n".join(problems)


# --- page helpers ----------------------------------------------------------------


def expect_flash(page, text, kind="success"):
    expect(page.locator(f".alert-{kind}").filter(has_text=text).first).to_be_visible()


def expect_status(page, label):
    expect(page.locator(".page-header .label").first).to_have_text(label)


def form_errors(page):
    """The messages of a refused form, or of an error page."""
    texts = page.locator(".has-error, .alert-danger").all_inner_texts()
    return " | ".join(texts or page.locator(".alert, h1").all_inner_texts())


def fill_form(page, values, scope="form[method=post]"):
    """Fill fields by name: text, textarea, date, select, checkbox and file inputs."""
    form = page.locator(scope).last
    for name, value in values.items():
        field = form.locator(f'[name="{name}"]').first
        tag = field.evaluate("element => element.tagName.toLowerCase()")
        kind = (field.get_attribute("type") or "").lower()
        if tag == "select":
            field.select_option(str(value))
        elif kind == "checkbox":
            field.set_checked(bool(value))
        elif kind == "file":
            field.set_input_files(str(value))
        else:
            field.fill(str(value))


def follow(page, link):
    """Click a link and wait for the page it opens."""
    with page.expect_navigation():
        link.click()


def menu(page, category, href):
    """Open a navbar menu by its label and follow its entry that links to `href` (on a
    phone, the folded menu is opened first)."""
    toggle = page.locator(".navbar .navbar-toggle")
    if toggle.is_visible():
        toggle.click()
    page.locator(".navbar .dropdown-toggle").filter(has_text=category).first.click()
    entry = page.locator(f'.navbar .dropdown-menu a[href="{href}"]').first
    expect(entry).to_be_visible()
    follow(page, entry)


def submit(page, scope="form[method=post]"):
    with page.expect_navigation():
        page.locator(scope).last.locator("button[type=submit]").first.click()


def open_file_from_inbox(page, number, inbox="/inboxview/list/"):
    """The officer's inbox → the file page, by its registration number."""
    page.goto(inbox)
    link = page.get_by_role("link", name=number, exact=True)
    expect(link).to_be_visible()
    follow(page, link)
    expect(page.locator(".page-header h1")).to_contain_text(number)


def open_action(page, action, values=None):
    """Press the workflow button of `action` on the file page that opens a form; fill it."""
    follow(page, page.locator(f'#actions a[href$="/aksi/{action}"]'))
    if values:
        fill_form(page, values)


def send_action(page, action, expect_label=None):
    """Send the open action form; back on the file page, check the success message."""
    submit(page)
    _check_done(page, action, expect_label)


def _check_done(page, action, expect_label):
    if "/aksi/" in page.url:
        raise AssertionError(f"{action} was refused: {form_errors(page)}")
    danger = page.locator(".alert-danger")
    if danger.count():
        raise AssertionError(f"{action}: {' | '.join(danger.all_inner_texts())}")
    expect_flash(page, "Berkas kini berstatus")
    if expect_label:
        expect_status(page, expect_label)


def act(page, action, values=None, expect_label=None):
    """Press the workflow button of `action` on the file page; fill and send its form when
    it has one. Returns to the file page and checks the success message."""
    if page.locator(f'#actions a[href$="/aksi/{action}"]').count():
        open_action(page, action, values)
        send_action(page, action, expect_label)
        return
    with page.expect_navigation():
        page.locator(f'#actions form[action$="/aksi/{action}"] button[type=submit]').click()
    _check_done(page, action, expect_label)


def requirement_rows(page):
    return page.locator("[data-document-review] table tbody tr")


def upload_requirements(page, pdf, image):
    """Upload a file for every mandatory requirement, and the image for the optional
    location map, one row's form at a time as a person would. Returns how many."""
    count = requirement_rows(page).count()
    assert count, "no requirement rows on the file page"
    uploaded = 0
    for index in range(count):
        row = requirement_rows(page).nth(index)
        first_cell = row.locator("td").first
        name = first_cell.inner_text()
        mandatory = first_cell.locator(".text-danger").count() > 0
        is_map = "Peta" in name or "Denah" in name
        file_input = row.locator("input[type=file]")
        if not (mandatory or is_map) or not file_input.count():
            continue
        use_image = is_map and ".png" in (file_input.get_attribute("accept") or "")
        file_input.set_input_files(str(image if use_image else pdf))
        with page.expect_navigation():
            row.locator("button[type=submit]").click()
        expect_flash(page, "Dokumen telah diunggah.")
        expect(requirement_rows(page).nth(index).locator("td").nth(1)).to_contain_text(
            image.name if use_image else pdf.name)
        uploaded += 1
    return uploaded


def accept_every_document(page):
    """The examiner's verdict on each document: Accept, row by row; each is saved in the
    page, which stays (tests/e2e/test_review_browser.py)."""
    count = requirement_rows(page).count()
    for index in range(count):
        row = requirement_rows(page).nth(index)
        accept = row.locator('button[name=verdict][value=accepted]')
        if not accept.count():
            continue
        accept.click()
        expect(row).to_have_attribute("data-verdict", "accepted")
        expect(row.locator("[data-verdict-text]")).to_have_text("Diterima")


def register_applicant(web, person, viewport=DESKTOP, **options):
    """Self-registration through the sign-in page's Register button; returns the
    signed-in page."""
    page = web.new_page(viewport, **options)
    page.goto("/")
    follow(page, page.locator('.jumbotron a[href="/login/"]'))
    follow(page, page.locator('#loginbox a[href*="register"]'))
    web.shot(page, "registration-form")
    fill_form(page, {
        "full_name": person["full_name"], "nik": person["nik"],
        "whatsapp": person["whatsapp"], "email": person["email"],
        "username": person["username"], "password": person["password"],
        "conf_password": person["password"],
    }, scope="form")
    with page.expect_navigation():
        page.locator("form").last.locator("[type=submit]").first.click()
    if "/register" in page.url:
        raise AssertionError(f"registration refused: {form_errors(page)}")
    expect_flash(page, "Selamat datang!")
    return page


def download(page, link):
    """Click a download link; return the downloaded bytes and the suggested name."""
    with page.expect_download() as info:
        link.click()
    item = info.value
    return Path(item.path()).read_bytes(), item.suggested_filename


def off_the_browser_loop(function, *args):
    """Run `function` in a thread of its own: Playwright's sync API keeps an asyncio loop
    running in this one, and pyHanko's validation starts its own with asyncio.run."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


def pdf_signature_report(path):
    """poppler's pdfsig output."""
    return subprocess.run(["pdfsig", str(path)], capture_output=True, text=True,
                          check=False).stdout


def path_of(url):
    """The path of a page's address, to come back to it later."""
    return re.sub(r"^https?://[^/]+", "", url)


def trust_roots(server):
    """The local signer's root CA, read from the server's instance folder."""
    _, _, der = pem.unarmor(server.signing_ca.read_bytes())
    return [asn1_x509.Certificate.load(der)]


def map_png(width=480, height=360):
    """A small site map for the permit annex: a grid, the plot, its corner points."""
    image = Image.new("RGB", (width, height), (236, 242, 230))
    draw = ImageDraw.Draw(image)
    for x in range(0, width, 40):
        draw.line([(x, 0), (x, height)], fill=(205, 214, 198))
    for y in range(0, height, 40):
        draw.line([(0, y), (width, y)], fill=(205, 214, 198))
    draw.rectangle([(0, 250), (width, 280)], fill=(190, 190, 190))  # the road
    plot = [(140, 90), (340, 90), (340, 230), (140, 230)]
    draw.polygon(plot, fill=(250, 214, 120), outline=(200, 40, 40))
    for x, y in plot:
        draw.ellipse([(x - 5, y - 5), (x + 5, y + 5)], fill=(200, 40, 40))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def open_as(web, username, number, **options):
    """Sign in as `username` and open the file from their inbox."""
    page = web.login(username, **options)
    open_file_from_inbox(page, number)
    return page


def front_office_and_examiner(web, number):
    """Front office receives and forwards; the examiner accepts every document and
    forwards the file to the agency."""
    frontoffice = open_as(web, "frontoffice", number)
    act(frontoffice, "terima", expect_label="Diterima Front Office")
    act(frontoffice, "teruskan_pemeriksa", expect_label="Diperiksa")
    web.shot(frontoffice, "front-office")
    pemeriksa = open_as(web, "pemeriksa", number)
    accept_every_document(pemeriksa)
    web.shot(pemeriksa, "examiner-verdicts")
    act(pemeriksa, "teruskan_dinas")
    return frontoffice, pemeriksa


def number_the_decree(web, number, date):
    """Back office: the SK number proposed on the form is the one given. Returns it."""
    backoffice = open_as(web, "backoffice", number)
    open_action(backoffice, "input_nomor_sk")
    proposed = backoffice.locator(".alert-info").first.inner_text()
    sk_number = re.search(r"\d{3}/\d{3}/[\d.]+/\d{4}", proposed).group(0)
    fill_form(backoffice, {"tanggal_sk": date})
    web.shot(backoffice, "sk-number-form")
    send_action(backoffice, "input_nomor_sk", "Siap ditandatangani")
    expect(backoffice.locator(".page-header")).to_contain_text(sk_number)
    return sk_number


def sign_the_chosen(page, count=1):
    """Press the signing page's button: its script signs the chosen files one per
    request, showing the progress, and sums up in place (no new page)."""
    page.locator("#ds-form .ds-sign button[type=submit]").click()
    expect(page.locator("#ds-summary .alert-success")).to_contain_text(f"{count} ")
    expect(page.locator("#ds-summary .alert-danger")).to_have_count(0)


def sign_on_a_phone(web, number, sk_number, passphrase):
    """The head of office signs the file on a 375×812 screen, with nothing wider than
    the screen before or after."""
    kepala = web.login("kepaladinas", viewport=PHONE, is_mobile=True, has_touch=True)
    kepala.goto("/tandatangan/")
    card = kepala.locator(".ds-card").filter(has_text=number)
    expect(card).to_contain_text(sk_number)
    assert page_width(kepala) <= PHONE["width"], "the signing page scrolls sideways"
    assert past_the_edges(kepala) == [], "the signing page is cut off at the edges"
    web.shot(kepala, "signing-phone")
    card.locator("input.ds-file").check()
    kepala.fill("#passphrase", passphrase)
    sign_the_chosen(kepala)
    expect(kepala.locator(".ds-card").filter(has_text=number)).to_have_count(0)
    assert page_width(kepala) <= PHONE["width"]
    web.shot(kepala, "signed-phone")
    return kepala


def set_the_emblem(web):
    """The admin uploads the regency's emblem on the letterhead screen: every document
    from then on carries it."""
    admin = web.login("admin")
    admin.goto("/kop-surat/")
    admin.set_input_files("input[type=file][name=emblem]",
                          str(web.write("lambang.png", emblem_png())))
    with admin.expect_navigation():
        admin.locator("form[method=post] button[type=submit]").click()
    expect_flash(admin, "Kop surat tersimpan")
    web.shot(admin, "letterhead")


def download_signed_decree(web, page, server, signer, texts=()):
    """The applicant's download of the signed decree from the file page, validated with
    pyHanko against the server's CA (whole file covered, signed by `signer`, a demo
    user name) and with poppler's pdfsig; its pages rendered into the artifacts and
    checked part by part (tests/e2e/decree_pages.py). Returns the saved file."""
    signer_name, nip = signer
    content, name = download(page, page.locator("#sk a.btn-success"))
    assert name.endswith(".pdf") and content.startswith(b"%PDF"), name
    assert name.startswith("SK "), name  # a readable name, not 000001.pdf
    saved = web.write("sk-bertanda-tangan.pdf", content)
    link = page.locator("#sk a[href*='/verifikasi/']").get_attribute("href")
    check_signed_decree(saved, web.folder, f"{server.url}{link}", signer_name, nip, texts)
    roots = trust_roots(server)
    assert off_the_browser_loop(is_authentic, content, roots), "the decree does not validate"
    statuses = off_the_browser_loop(signature_statuses, content, roots)
    assert len(statuses) == 1 and statuses[0].coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert statuses[0].signing_cert.subject.native["common_name"] == signer_name
    report = pdf_signature_report(saved)
    assert "Signature is Valid" in report, report
    return saved


def revoke_and_sign(web, file_page, reason, passphrase):
    """The head of office revokes the signed permit from its file page, then signs the
    revocation decree on the signing page (with the same passphrase as any decree).
    Returns the head of office's page."""
    kepala = web.login("kepaladinas")
    kepala.goto(file_page)
    kepala.fill("form[action$='/cabut'] input[name=alasan]", reason)
    with kepala.expect_navigation():
        kepala.locator("form[action$='/cabut'] button[type=submit]").click()
    expect(kepala.locator("#sk_pencabutan")).to_contain_text("menunggu tanda tangan")
    web.shot(kepala, "revoked")
    kepala.goto("/tandatangan/")
    card = kepala.locator(".ds-card").filter(has_text="Pencabutan")
    expect(card).to_have_count(1)
    card.locator("input.ds-file").check()
    kepala.fill("#passphrase", passphrase)
    sign_the_chosen(kepala)
    web.shot(kepala, "revocation-signed")
    return kepala


def download_revocation_decree(web, page, server, signer, texts=()):
    """The holder's download of the signed revocation decree, validated like the permit
    and checked page by page; its QR code opens its own verification page."""
    signer_name, nip = signer
    content, name = download(page, page.locator("#sk_pencabutan a.btn"))
    assert name.startswith("SK Pencabutan") and content.startswith(b"%PDF"), name
    saved = web.write("sk-pencabutan.pdf", content)
    assert off_the_browser_loop(is_authentic, content, trust_roots(server))
    assert "Signature is Valid" in pdf_signature_report(saved)
    pages = check_signed_decree(saved, web.folder, None, signer_name, nip, texts,
                                name="sk-pencabutan")
    return saved, pages


def verify_publicly(web, page, server, decree, expected_texts, hidden_texts=()):
    """The verification page linked from the file page (and printed in the decree's QR
    code): the permit is valid, and the downloaded copy is authentic."""
    link = page.locator("#sk a[href*='/verifikasi/']").get_attribute("href")
    public = web.new_page()
    public.goto(link)
    expect(public.locator(".panel-heading").first).to_contain_text("BERLAKU")
    body = public.locator("body")
    for text in expected_texts:
        expect(body).to_contain_text(text)
    for text in hidden_texts:
        expect(body).not_to_contain_text(text)
    public.locator("input[type=file][name=file]").set_input_files(str(decree))
    with public.expect_navigation():
        public.locator("form[enctype] button[type=submit]").click()
    expect(public.locator("#hasil.alert-success")).to_contain_text("Asli")
    web.shot(public, "verification")
    return public


def track(web, number, phone_suffix, expected_stage):
    """The public tracking page: registration number and last four WhatsApp digits."""
    public = web.new_page()
    public.goto("/lacak/")
    public.fill("#nomor", number)
    public.fill("#akhiran", phone_suffix)
    with public.expect_navigation():
        public.locator("form[method=post] button[type=submit]").click()
    result = public.locator("#hasil")
    expect(result).to_contain_text(number)
    expect(result).to_contain_text(expected_stage)
    web.shot(public, "tracking")
    return public


def page_width(page):
    """How wide the page's content is (wider than the window means sideways scrolling)."""
    return page.evaluate("() => document.documentElement.scrollWidth")


def past_the_edges(page):
    """Visible elements reaching past the window's left or right edge, outside any box
    that scrolls or clips them (a map's tiles); `overflow-x: hidden` on the body would
    hide them from page_width while cutting them off."""
    return page.evaluate("""() => {
        const scrolls = e => ['auto', 'scroll', 'hidden', 'clip']
            .includes(getComputedStyle(e).overflowX);
        const found = [];
        for (const element of document.body.querySelectorAll('*')) {
            const box = element.getBoundingClientRect();
            if (!box.width || !box.height) continue;
            if (box.left >= -1 && box.right <= innerWidth + 1) continue;
            let parent = element.parentElement, inScroller = false;
            while (parent && parent !== document.body) {
                if (scrolls(parent)) { inScroller = true; break; }
                parent = parent.parentElement;
            }
            if (!inScroller) found.push(`${element.tagName.toLowerCase()}`
                + `${element.className ? '.' + String(element.className).split(' ')[0] : ''}`
                + ` ${Math.round(box.left)}..${Math.round(box.right)}`);
        }
        return found;
    }""")


# --- the site map (app/static/js/pkkpr-map.js) -----------------------------------

MAP_AT_REST = """element => {
    const map = element.siteEditor && element.siteEditor.map;
    return !!map && !map._animatingZoom && map.getZoom() >= 16;
}"""


def tap(map_element, x, y):
    map_element.tap(position={"x": x, "y": y})


def draw_the_site(page):
    """On the application form's map, as a finger would: tap the point (the map opens on
    Kabupaten Blitar and zooms in), then "Draw the plot boundary", four corners, "Finish".
    Returns the map element."""
    site_map = page.locator('[data-site-map="edit"]')
    site_map.scroll_into_view_if_needed()
    expect(site_map).to_be_visible()
    width = site_map.bounding_box()["width"]
    tap(site_map, width / 2, 150)
    page.wait_for_function(MAP_AT_REST, arg=site_map.element_handle())
    tools = page.locator(".site-map-tools")
    tools.locator('[data-map-tool="draw"]').tap()
    expect(tools.locator('[data-map-tool="draw"]')).to_have_attribute("aria-pressed", "true")
    for x, y in ((width / 2 - 60, 90), (width / 2 + 60, 90), (width / 2 + 60, 210),
                 (width / 2 - 60, 210)):
        tap(site_map, x, y)
    expect(page.locator("[data-map-status]")).to_contain_text("4")
    tools.locator('[data-map-tool="finish"]').tap()
    return site_map
