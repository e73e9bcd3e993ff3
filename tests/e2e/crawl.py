"""What every page must be for the people who read it on a phone, checked in the browser
by the crawl of tests/e2e/test_every_page_browser.py: no wider than the screen, tap
targets a finger can hit, no serious accessibility violation (axe-core), and no text a
person cannot read (keys, None, True/False, ISO timestamps, Flask-AppBuilder's English)."""

import re
from urllib.parse import urlsplit

MIN_TARGET_PX = 44

# Links the crawl never follows: they sign out, change the language, go "back", download
# a file, or belong to the API and its documentation.
NOT_PAGES = re.compile(
    r"^/(logout|lang/|api/|swagger|static/|appbuilder/|favicon|back$)"
    r"|/(unduh|download|export|ekspor|xlsx|csv|pdf|cetak-pdf|delete|action|action_post)(/|$|\?)"
    r"|\.(pdf|png|jpe?g|xlsx|csv|zip|ico)$"
)

# Tap targets: buttons and button-like links, form controls, menu entries. A checkbox or
# radio button counts with the label that wraps it (tapping the label ticks it).
TAP_TARGETS_SCRIPT = """(minimum) => {
    const small = [];
    const selector = 'button, .btn, input[type=submit], input[type=button], '
        + 'input[type=checkbox], input[type=radio], select, input[type=text], '
        + 'input[type=password], input[type=email], input[type=date], input[type=number], '
        + 'input[type=file], input[type=search], input[type=tel], textarea, '
        + '.navbar a, .pagination a';
    for (const element of document.querySelectorAll(selector)) {
        let target = element;
        if (element.matches('input[type=checkbox], input[type=radio]')) {
            target = element.closest('label') || element;
        }
        const box = target.getBoundingClientRect();
        const style = getComputedStyle(target);
        if (!box.width || !box.height || style.visibility === 'hidden') continue;
        if (target.closest('[hidden], .modal:not(.in), .dropdown-menu, '
                           + '.select2-hidden-accessible')) continue;
        if (box.width < minimum - 0.5 || box.height < minimum - 0.5) {
            const name = (target.innerText || target.value || target.name || target.id
                          || target.getAttribute('aria-label') || '').trim().slice(0, 30);
            small.push(`${target.tagName.toLowerCase()} "${name}" `
                       + `${Math.round(box.width)}×${Math.round(box.height)}`);
        }
    }
    return small;
}"""

# What a person must never read on a page.
UNREADABLE = {
    "a key (snake_case)": re.compile(r"(?<![\w{./@-])[a-z]+(?:_[a-z0-9]+)+(?![\w}(./@-])"),
    "None/True/False": re.compile(r"\b(None|True|False|null|undefined|NaN)\b"),
    "an ISO date or time": re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2})?"),
    # Single words that are also names ("Joko Back Office") are left out.
    "English from Flask-AppBuilder": re.compile(
        r"\b(Cancel|Count|Login|Logout|Search|Actions|Record Count|No records found|"
        r"English|Add Filter|Refresh|Last login|Login count|Failed login count|"
        r"Created on|Changed on|Reset Password|Are you sure|User's Statistics|"
        r"List Users|Edit User|Show User|Add User|Permissions)\b"
    ),
}


def same_origin_pages(page, base_url):
    """The paths of the links on `page` that lead to another page of the app."""
    hrefs = page.evaluate("""() => [...document.querySelectorAll('a[href]')]
        .filter(a => !a.hasAttribute('download') && a.target !== '_blank')
        .map(a => a.href)""")
    base = urlsplit(base_url)
    found = []
    for href in hrefs:
        url = urlsplit(href)
        if (url.scheme, url.netloc) != (base.scheme, base.netloc):
            continue
        path = url.path + (f"?{url.query}" if url.query else "")
        if not NOT_PAGES.search(url.path):
            found.append(path)
    return found


def page_pattern(path):
    """Pages that differ only in a record's number or a list's query are one page."""
    return re.sub(r"/\d+(?=/|$)", "/N", path.split("?", 1)[0])


# The text a person sees: visible text outside <code> (an identifier shown to the
# admin on purpose, such as a process code in the designer) and outside text fields.
VISIBLE_TEXT_SCRIPT = """() => {
    const texts = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode, parent = node.parentElement;
        if (!node.textContent.trim() || !parent) continue;
        if (parent.closest('code, pre, kbd, samp, script, style, textarea, template')) continue;
        if (!parent.checkVisibility({visibilityProperty: true})) continue;
        texts.push(node.textContent.trim());
    }
    return texts.join('\\n');
}"""


def visible_text(page):
    return page.evaluate(VISIBLE_TEXT_SCRIPT)


def visible_text_problems(text):
    problems = []
    for what, pattern in UNREADABLE.items():
        seen = sorted({match.group(0) for match in pattern.finditer(text)})
        if seen:
            problems.append(f"{what}: {', '.join(seen[:8])}")
    return problems


def small_tap_targets(page):
    return page.evaluate(TAP_TARGETS_SCRIPT, MIN_TARGET_PX)


def serious_accessibility_violations(page, axe):
    """axe-core's serious and critical violations on the page, one line each."""
    results = axe.run(page)
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(node["target"][0] if isinstance(node["target"][0], str)
                    else str(node["target"][0]) for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
