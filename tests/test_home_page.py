import pytest

pytestmark = pytest.mark.django_db


def test_home_page_is_served_in_danish(client, home_page):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="da">' in html
    assert "<title>Sundhedsaftalens klynger – Klyngeportal</title>" in html
    assert "Gå til sidens indhold" in html
    assert "Klyngernes møder og referater." in html


def test_home_page_uses_locally_served_design_system(client, home_page):
    html = client.get("/").content.decode()

    assert 'href="/static/dkfds/css/dkfds.min.css"' in html
    assert "://" not in html.split("<body")[0], "no asset may come from another host"


def test_unknown_url_gives_danish_404(client, home_page):
    response = client.get("/findes-ikke/")

    assert response.status_code == 404
    assert "Siden findes ikke" in response.content.decode()


def test_admin_login_page_renders_in_danish(client):
    response = client.get("/admin/login/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="da"' in html
    assert "Log ind" in html


def test_admin_dashboard_menu_is_in_danish(client, admin_user):
    client.force_login(admin_user)

    response = client.get("/admin/")

    assert response.status_code == 200
    html = response.content.decode()
    for label in ("Sider", "Indstillinger", "Log ud"):
        assert f'"label": "{label}"' in html


def test_home_page_lists_the_published_clusters(client):
    from .factories import make_cluster

    make_cluster(title="Politisk klynge Midt")
    make_cluster(title="Kladde-klyngen", live=False)

    html = client.get("/").content.decode()

    assert "Politisk klynge Midt" in html
    assert "Kladde-klyngen" not in html
    assert 'href="/klynger/"' in html
