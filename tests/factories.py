"""Factories for organisations, users and cases, built in code (no JSON fixtures)."""

import datetime

import factory
from django.utils import timezone

from haven.agencies.models import FrameworkRole, Membership, Organisation, OrganisationKind, User
from haven.cases import actions
from haven.cases.models import EntryRoute
from haven.places.models import Province


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    code = factory.Sequence(lambda n: f"org-{n}")
    name_vi = factory.Sequence(lambda n: f"Tổ chức {n}")
    name_en = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.FACILITY
    framework_role = FrameworkRole.SOCIAL_AFFAIRS


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def member(organisation, role, username=None) -> User:
    user = UserFactory(**({"username": username} if username else {}))
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def province(code: str) -> Province:
    return Province.objects.get(code=code)


def person_fields(**overrides) -> dict:
    fields = {
        "full_name": "Nguyễn Thị Hoà",
        "other_names": "",
        "sex": "F",
        "date_of_birth": datetime.date(2000, 5, 17),
        "languages": "",
        "home_address": "",
        "phone": "",
    }
    fields.update(overrides)
    return fields


def reception_fields(**overrides) -> dict:
    fields = {
        "entry_route": EntryRoute.BORDER_HANDOVER,
        "received_at": timezone.now() - datetime.timedelta(days=2),
        "province": province("15"),
        "border_kind": "land",
        "handed_over_by": "foreign_authority",
    }
    fields.update(overrides)
    return fields


def make_case(user, organisation, *, person=None, reception=None, **kwargs):
    """A case recorded through the real action, as the reception form would."""
    return actions.receive_person(
        user=user,
        organisation=organisation,
        person_fields=person_fields(**(person or {})),
        reception_fields=reception_fields(**(reception or {})),
        **kwargs,
    )


def shared_case(personas):
    """A case of the Lào Cai centre with an identity document, shared with the Hà Nội
    shelter under her consent (identity and support only); the consulate was refused.
    Returns (case, the consent given, the share)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from haven.access import actions as access_actions
    from haven.access.models import Consent, Share

    document = actions.NewDocument(
        kind="identity",
        content_type="application/pdf",
        uploaded=SimpleUploadedFile("id.pdf", b"%PDF-1.4", content_type="application/pdf"),
    )
    case = make_case(personas.social_worker, personas.centre_laocai, new_documents=[document])
    common = {
        "user": personas.social_worker,
        "organisation": personas.centre_laocai,
        "case": case,
        "purpose": Consent.Purpose.SHARE,
        "informed_in_language": "Tiếng Việt",
    }
    given = access_actions.record_consent(
        decision="given", recipient_organisation=personas.shelter_hanoi, **common
    )
    access_actions.record_consent(
        decision="refused", recipient_organisation=personas.consulate_phnompenh, **common
    )
    share = access_actions.share_case(
        user=personas.social_worker,
        organisation=personas.centre_laocai,
        case=case,
        recipient=personas.shelter_hanoi,
        sections={"identity", "support"},
        basis=Share.Basis.CONSENT,
        consent=given,
    )
    return case, given, share
