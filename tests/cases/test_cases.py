import pytest

from haven.cases import actions
from haven.cases.models import Case
from haven.places.models import Province
from tests.factories import make_case, reception_fields

pytestmark = pytest.mark.django_db


def test_a_person_received_again_gets_a_new_case_linked_to_the_earlier_one(personas, login):
    first = make_case(personas.border_guard, personas.border_post_laocai)
    second = actions.receive_person(
        user=personas.border_guard,
        organisation=personas.border_post_laocai,
        person_fields={},
        reception_fields=reception_fields(),
        existing_person=first.person,
    )
    assert second.person == first.person
    assert second.previous_case == first
    assert second.reference != first.reference
    html = login(personas.border_guard).get(f"/cases/{second.reference}/").content.decode()
    assert first.reference in html


def test_a_case_received_in_a_former_province_is_filed_under_its_successor(personas):
    yen_bai = Province.objects.get(name_vi="Yên Bái", valid_to__isnull=False)
    case = make_case(
        personas.border_guard, personas.border_post_laocai, reception={"province": yen_bai}
    )
    assert case.province.code == "15"
    assert case.reference.startswith("15-")


def test_case_detail_shows_the_timeline(personas, login):
    case = make_case(personas.border_guard, personas.border_post_laocai)
    response = login(personas.border_guard).get(f"/cases/{case.reference}/")
    assert response.status_code == 200
    assert [e.kind for e in response.context["timeline"]] == ["opened", "received"]


def test_an_unknown_reference_and_a_hidden_case_look_the_same(personas, login):
    case = make_case(personas.border_guard, personas.border_post_laocai)
    client = login(personas.stranger)
    hidden = client.get(f"/cases/{case.reference}/")
    missing = client.get("/cases/99-2099-00001/")
    assert hidden.status_code == missing.status_code == 404


def test_failed_transaction_leaves_nothing_behind(personas):
    with pytest.raises(KeyError):
        actions.receive_person(
            user=personas.border_guard,
            organisation=personas.border_post_laocai,
            person_fields={"full_name": "X", "sex": "F"},
            reception_fields={"entry_route": "police"},
        )
    assert not Case.objects.exists()


def test_a_transfer_moves_ownership_and_leaves_the_sender_a_read_only_view(personas):
    from haven.access import policy

    case = make_case(personas.border_guard, personas.border_post_laocai)
    actions.transfer_case(
        user=personas.border_guard,
        organisation=personas.border_post_laocai,
        case=case,
        to_organisation=personas.centre_laocai,
    )
    case.refresh_from_db()
    assert case.owner == personas.centre_laocai
    assert policy.cases_writable_by(personas.social_worker).filter(pk=case.pk).exists()
    sender = policy.case_access(personas.border_guard, case)
    assert sender.sections == {"identity", "account"} and not sender.can_write
    assert case.timeline.filter(kind="handover", data__transfer_to=personas.centre_laocai.pk)
