import collections, json
from tests.browser.conftest import *  # noqa
from tests.browser import checks
from tests.browser.test_pages import MAIN_PAGES, LANGUAGES
def test_inventory(open_as, live):
    out = {}
    for language, locale in LANGUAGES.items():
        for main in MAIN_PAGES:
            page = open_as(main.who, locale=locale)
            scales = checks.Scales(page)
            page.goto(main.url(live))
            w = scales.weight()
            v1 = checks.violations(page)
            page.set_viewport_size(PHONE)
            width = checks.page_width(page)
            v2 = checks.violations(page)
            out[f"{main.name}-{language}"] = {"bytes": w, "phone_width": width,
                "desktop": sorted({(v['id'], v['impact']) for v in v1}),
                "phone": sorted({(v['id'], v['impact']) for v in v2})}
            page.context.close()
    print("INVENTORY", json.dumps(out))
