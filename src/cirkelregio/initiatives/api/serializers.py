# SPDX-License-Identifier: EUPL-1.2
"""Input and output shapes of the initiatives API. No logic: writes go to services,
reads to selectors. Choice fields are named so that their OpenAPI enums do not clash
with other apps' (``initiative_type``, ``initiative_stage``, ``initiative_status``,
``needs``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cirkelregio.initiatives import selectors
from cirkelregio.initiatives.models import (
    ContactPoint,
    Initiative,
    InitiativeStatus,
    InitiativeType,
    Need,
    Stage,
)
from cirkelregio.regions.models import Municipality, Organisation


class SlugReferenceField(serializers.SlugRelatedField):
    """A reference by slug or code; a value with a NUL character matches nothing."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return super().to_internal_value(data)


def _municipality(**kwargs: Any) -> SlugReferenceField:
    return SlugReferenceField(
        slug_field="cbs_code",
        queryset=Municipality.objects.all(),
        **{"help_text": "CBS code of the municipality.", **kwargs},
    )


def _organisation(**kwargs: Any) -> SlugReferenceField:
    return SlugReferenceField(
        slug_field="slug",
        queryset=Organisation.objects.all(),
        **{"help_text": "Slug of the organisation.", **kwargs},
    )


CONTACT_NOTE = (
    "Shown to the public only when contact_consent is true; always to coordinators "
    "and the owner organisation's editors. Empty otherwise."
)


# Initiatives -------------------------------------------------------------------------


class InitiativeSerializer(serializers.ModelSerializer):
    initiative_type = serializers.ChoiceField(
        source="type", choices=InitiativeType.choices, read_only=True
    )
    initiative_stage = serializers.ChoiceField(
        source="stage", choices=Stage.choices, read_only=True
    )
    initiative_status = serializers.ChoiceField(
        source="status", choices=InitiativeStatus.choices, read_only=True
    )
    municipality = serializers.SlugRelatedField(slug_field="cbs_code", read_only=True)
    owner = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    needs = serializers.ListField(
        source="need_codes",
        child=serializers.ChoiceField(choices=Need.choices),
        read_only=True,
        help_text="The kinds of support the initiative asks for.",
    )
    website = serializers.CharField(
        read_only=True, help_text="A URL; empty when there is none."
    )
    contact_email = serializers.SerializerMethodField()
    contact_phone = serializers.SerializerMethodField()

    class Meta:
        model = Initiative
        fields = [
            "id",
            "name",
            "initiative_type",
            "municipality",
            "initiative_stage",
            "description_nl",
            "description_en",
            "needs",
            "support_text",
            "website",
            "contact_email",
            "contact_phone",
            "contact_consent",
            "owner",
            "initiative_status",
            "is_demo",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def _contact_visible(self, obj: Initiative) -> bool:
        request = self.context.get("request")
        return selectors.initiative_contact_visible(getattr(request, "user", None), obj)

    @extend_schema_field({"type": "string", "description": CONTACT_NOTE})
    def get_contact_email(self, obj: Initiative) -> str:
        return obj.contact_email if self._contact_visible(obj) else ""

    @extend_schema_field({"type": "string", "description": CONTACT_NOTE})
    def get_contact_phone(self, obj: Initiative) -> str:
        return obj.contact_phone if self._contact_visible(obj) else ""


class InitiativeWriteSerializer(serializers.Serializer):
    """A new initiative or a change. Without ``owner`` and from anyone but a
    coordinator, a new one is a suggestion from the public: it waits for a
    coordinator (status ``suggested``), needs a contact e-mail address, and is
    limited per client address (429 with Retry-After)."""

    name = serializers.CharField(max_length=200)
    initiative_type = serializers.ChoiceField(
        source="type", choices=InitiativeType.choices
    )
    municipality = _municipality()
    initiative_stage = serializers.ChoiceField(
        source="stage", choices=Stage.choices, required=False
    )
    description_nl = serializers.CharField(required=False, allow_blank=True)
    description_en = serializers.CharField(required=False, allow_blank=True)
    needs = serializers.ListField(
        child=serializers.ChoiceField(choices=Need.choices),
        required=False,
        max_length=len(Need.values),
        help_text="The kinds of support the initiative asks for.",
    )
    support_text = serializers.CharField(
        required=False, allow_blank=True, max_length=2000
    )
    website = serializers.URLField(required=False, allow_blank=True, max_length=200)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(
        required=False, allow_blank=True, max_length=30
    )
    contact_consent = serializers.BooleanField(
        required=False,
        help_text="The initiative agrees that its e-mail address and phone number "
        "are shown publicly.",
    )
    owner = _organisation(
        required=False,
        allow_null=True,
        help_text="Slug of the owner organisation: its editors may create and "
        "change the initiative (coordinators may set any).",
    )
    initiative_status = serializers.ChoiceField(
        source="status",
        choices=InitiativeStatus.choices,
        required=False,
        help_text="Coordinators only.",
    )


# Contact points ----------------------------------------------------------------------


class ContactPointSerializer(serializers.ModelSerializer):
    municipality = serializers.SlugRelatedField(slug_field="cbs_code", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    email = serializers.CharField(
        read_only=True, help_text="An e-mail address; empty when there is none."
    )
    website = serializers.CharField(
        read_only=True, help_text="A URL; empty when there is none."
    )

    class Meta:
        model = ContactPoint
        fields = [
            "id",
            "municipality",
            "organisation",
            "role_name",
            "email",
            "phone",
            "website",
            "hours_nl",
            "hours_en",
            "last_verified",
            "is_active",
            "is_demo",
            "updated_at",
        ]
        read_only_fields = fields


class ContactPointWriteSerializer(serializers.Serializer):
    municipality = _municipality()
    organisation = _organisation()
    role_name = serializers.CharField(max_length=200)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    website = serializers.URLField(required=False, allow_blank=True, max_length=200)
    hours_nl = serializers.CharField(required=False, allow_blank=True, max_length=300)
    hours_en = serializers.CharField(required=False, allow_blank=True, max_length=300)
    last_verified = serializers.DateField()
    is_active = serializers.BooleanField(required=False)
