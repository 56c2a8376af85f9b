# SPDX-License-Identifier: EUPL-1.2
"""Calculating a variant's MKI with the engine and storing the result.

A result that could not be calculated (an indicator without a verified factor, a
profile read against another weighting set) is stored as a failed result with the
reason, never as a guessed number.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cirkelregio.accounts.models import User
from cirkelregio.engine.mki import (
    BUILTIN_SETS,
    MissingFactorError,
    WeightingSet,
    calculate,
)
from cirkelregio.mki.adapters import (
    InputsUnavailableError,
    builtin_weighting,
    data_digest,
    fingerprint,
    load_inputs,
    missing_factor_message,
    options_for,
    weighting_digest,
)
from cirkelregio.mki.models import CalculationResult, Outcome, Variant
from cirkelregio.mki.rules import can_change_project
from cirkelregio.mki.services._common import require


def resolve_weighting(method: str, weights: WeightingSet | None) -> WeightingSet:
    if weights is not None:
        return weights
    if method not in BUILTIN_SETS:
        raise ValidationError(
            {
                "method": _("Unknown weighting set %(method)s; choose %(choices)s.")
                % {"method": method, "choices": " or ".join(BUILTIN_SETS)}
            }
        )
    return builtin_weighting(method)


@transaction.atomic
def variant_calculate(
    *,
    variant: Variant,
    method: str = "nmd-a2",
    weights: WeightingSet | None = None,
    include_module_d: bool = True,
    actor: User | None = None,
) -> CalculationResult:
    """Calculate the variant's MKI and store the result.

    ``weights`` (an engine WeightingSet, for example read from an uploaded file)
    replaces the built-in set named by ``method``, as ``--weights`` does on the
    command line. The stored result carries a fingerprint of the inputs, so that
    ``selectors.result_is_stale`` tells when the bill, a library or the project's
    options changed after the calculation.
    """
    require(can_change_project(actor, variant.project))
    weighting = resolve_weighting(method, weights)
    code = weighting.code if weights is not None else method
    options = options_for(variant.project, include_module_d)
    w_digest = weighting_digest(weighting)
    result = CalculationResult(
        variant=variant,
        method=code,
        include_module_d=include_module_d,
        options={
            "reference_period": options.reference_period,
            "replacement_rule": options.replacement_rule,
            "include_module_d": include_module_d,
            "custom_weights": weights is not None,
            "weighting_sha256": w_digest,
        },
        inputs_fingerprint=fingerprint(data_digest(variant), w_digest),
        calculated_by=actor,
    )
    try:
        inputs = load_inputs([variant], weighting)
        outcome = calculate(
            inputs.library, inputs.bills[variant.pk], weighting, options
        )
    except MissingFactorError as exc:
        result.outcome = Outcome.FAILED
        result.missing_indicators = list(exc.indicators)
        result.error = missing_factor_message(code, list(exc.indicators))
    except InputsUnavailableError as exc:
        result.outcome = Outcome.FAILED
        result.error = str(exc)
    else:
        data = outcome.to_dict()
        result.outcome = Outcome.SUCCEEDED
        result.total_eur = outcome.total_eur
        result.breakdown = {
            key: data[key]
            for key in ("by_line", "by_element", "by_module", "by_indicator")
        }
    result.save()
    return result
