"""The directory through the API: read-only reference information for every member of an
active organisation, as the directory pages (which is why analysts read it too)."""

from haven.referrals.models import Provider


def _provider(personas, **overrides):
    fields = {
        "organisation": personas.shelter_hanoi,
        "maintained_by": personas.shelter_hanoi,
        "name_vi": "Nhà tạm lánh",
        "kind": "state_facility",
        "services": ",essential_needs,",
    }
    fields.update(overrides)
    return Provider.objects.create(**fields)


def test_members_list_and_read_the_directory(world, token_for, api, login):
    personas = world["personas"]
    listed = _provider(personas)
    _provider(personas, organisation=None, name_vi="Đã ngừng", is_active=False)
    token = token_for(personas.border_post_angiang)
    page = api(token).get("/api/v1/providers").json()
    assert page["count"] == 1 and page["results"][0]["id"] == listed.pk
    assert page["results"][0]["services"] == ["essential_needs"]
    filtered = api(token).get("/api/v1/providers", {"service": "legal_aid"}).json()
    assert filtered["count"] == 0
    one = api(token).get(f"/api/v1/providers/{listed.pk}")
    assert one.status_code == 200
    assert one.json()["maintained_by"]["code"] == personas.shelter_hanoi.code
    login(personas.analyst)
    assert api().get(f"/api/v1/providers/{listed.pk}").status_code == 200


def test_unknown_entries_are_not_found(world, token_for, api):
    token = token_for(world["personas"].centre_laocai)
    assert api(token).get("/api/v1/providers/999999").status_code == 404


def test_the_directory_needs_the_providers_scope(world, token_for, api):
    token = token_for(world["personas"].centre_laocai, scopes=["cases:read"])
    response = api(token).get("/api/v1/providers")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "insufficient_scope"
    assert api().get("/api/v1/providers").status_code == 401
