"""Demo content and demo accounts for the embedded default (`make run`).

Every function here is idempotent: running `load_demo` twice gives the same
content and the same accounts.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import Page, Site

from .models import HomePage

HOME_TITLE = "Sundhedsaftalens klynger i Region Nordjylland"
HOME_INTRO = (
    "<p>Sundhedsaftalen i Region Nordjylland føres ud i livet lokalt i klynger: "
    "Klynge Nord, Klynge Midt, Klynge Syd og Klynge Vest. Her finder du klyngernes "
    "kommissorier, møder, dagsordener og referater.</p>"
)

# Known passwords, printed by `load_demo`: for a developer's machine only.
DEMO_ACCOUNTS = [
    # username, password, superuser, Wagtail group, first name
    ("admin", "admin-demo-2026", True, None, "Administrator"),
    ("redaktoer", "redaktoer-demo-2026", False, "Editors", "Redaktør"),
    ("godkender", "godkender-demo-2026", False, "Moderators", "Godkender"),
]


@transaction.atomic
def ensure_home_page():
    """Make a HomePage the root of the default site, replacing Wagtail's
    placeholder "Welcome" page if it is still there."""
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        home = root.add_child(
            instance=HomePage(title=HOME_TITLE, slug="forside", intro=HOME_INTRO)
        )
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(is_default_site=True, hostname="localhost", port=80)
    if site.root_page_id != home.pk:
        old_root_id = site.root_page_id
        site.root_page = home
        site.site_name = "Klyngeportal"
        site.save()
        placeholder = Page.objects.filter(pk=old_root_id, depth=2).first()
        if placeholder and placeholder.specific_class is Page:
            placeholder.delete()
    return home


@transaction.atomic
def ensure_demo_accounts():
    User = get_user_model()
    accounts = []
    for username, password, superuser, group_name, first_name in DEMO_ACCOUNTS:
        user, _ = User.objects.get_or_create(username=username)
        user.first_name = first_name
        user.email = f"{username}@example.org"
        user.is_staff = superuser
        user.is_superuser = superuser
        user.set_password(password)
        user.save()
        if group_name:
            user.groups.add(Group.objects.get(name=group_name))
        accounts.append((username, password, group_name or "superbruger"))
    return accounts
