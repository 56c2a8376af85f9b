# SPDX-License-Identifier: EUPL-1.2
"""DRF permission classes built on the rules in ``cirkelregio.accounts.rules``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework.permissions import SAFE_METHODS, BasePermission

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView

from cirkelregio.accounts import rules


class RegistryPermission(BasePermission):
    """Everyone reads (the selectors hide what is not published); writing needs a
    signed-in coordinator or organisation editor, and the object-level rules decide
    per record. Creating is checked in the service, which knows the organisation."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in SAFE_METHODS:
            return True
        if not hasattr(view, str(request.method).lower()):
            # The endpoint does not offer this method: let the view answer 405 Method
            # Not Allowed to everyone, rather than 403 to some and 405 to others.
            return True
        user = request.user
        return bool(user and user.is_authenticated) and rules.can_edit_registry(user)

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        checker = getattr(view, "object_rule", None)
        if checker is None:
            return False
        if request.method == "DELETE":
            checker = getattr(view, "delete_rule", checker)
        return bool(checker(request.user, obj))
