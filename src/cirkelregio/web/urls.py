# SPDX-License-Identifier: EUPL-1.2
from django.urls import include, path

from cirkelregio.web import (
    events_views,
    exchange_views,
    initiatives_views,
    mki_views,
    privacy_views,
    repair_suggestions_views,
    repair_views,
    views,
)

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("actielijnen/", views.action_line_list, name="action-lines"),
    path("actielijnen/<slug:slug>/", views.action_line_detail, name="action-line"),
    path("gemeenten/", views.municipality_list, name="municipalities"),
    path("gemeenten/<slug:slug>/", views.municipality_detail, name="municipality"),
    path("deelname/", views.participation_matrix, name="participation"),
    path("organisaties/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("privacy/", privacy_views.privacy, name="privacy"),
    path("account/", include("cirkelregio.web.account_urls")),
    path("", include("cirkelregio.web.reports_urls")),
    path("reparatiekaart/impact/", include("cirkelregio.web.repair_impact_urls")),
    path("wegen/", include("cirkelregio.web.roads_urls")),
    path("biobased-isoleren/", include("cirkelregio.web.biobased_urls")),
    path("agricycling/", include("cirkelregio.web.agricycling_urls")),
    path("ambachtscentra/", include("cirkelregio.web.craftcentres_urls")),
    path("monitor/", include("cirkelregio.web.monitor_urls")),
    path("uitwisseling/", exchange_views.exchange_home, name="exchange"),
    path(
        "uitwisseling/importeren/",
        exchange_views.exchange_import,
        name="exchange-import",
    ),
    path(
        "uitwisseling/importeren/voorbeeld.csv",
        exchange_views.exchange_import_example,
        name="exchange-import-example",
    ),
    path("mki/", mki_views.mki_home, name="mki"),
    path("mki/projecten/<int:pk>/", mki_views.mki_project, name="mki-project"),
    path("mki/aanbestedingen/<int:pk>/", mki_views.mki_tender, name="mki-tender"),
    path("mki/monitor/", mki_views.mki_monitor, name="mki-monitor"),
    path("reparatiekaart/", repair_views.repair_map, name="repair-map"),
    path("reparatiekaart/<int:pk>/", repair_views.repair_place, name="repair-place"),
    path(
        "reparatiekaart/voorstellen/",
        repair_suggestions_views.place_suggest,
        name="repair-suggest",
    ),
    path(
        "reparatiekaart/voorstellen/bedankt/",
        repair_suggestions_views.place_suggest_thanks,
        name="repair-suggest-thanks",
    ),
    path(
        "reparatiekaart/<int:pk>/correctie/",
        repair_suggestions_views.place_correct,
        name="repair-correct",
    ),
    path("initiatieven/", initiatives_views.initiative_list, name="initiatives"),
    path(
        "initiatieven/<int:pk>/",
        initiatives_views.initiative_detail,
        name="initiative",
    ),
    path(
        "initiatieven/aanmelden/",
        initiatives_views.initiative_submit,
        name="initiative-submit",
    ),
    path(
        "initiatieven/aanmelden/bedankt/",
        initiatives_views.initiative_thanks,
        name="initiative-thanks",
    ),
    path("reparatieweek/", events_views.reparatieweek, name="reparatieweek"),
    path(
        "reparatieweek/<int:pk>/",
        events_views.edition_detail,
        name="reparatieweek-edition",
    ),
    path("agenda/plaats/<int:pk>.ics", events_views.place_feed, name="agenda-place"),
    path(
        "agenda/gemeente/<slug:slug>.ics",
        events_views.municipality_feed,
        name="agenda-municipality",
    ),
    path(
        "agenda/reparatieweek/<int:pk>.ics",
        events_views.edition_feed,
        name="agenda-edition",
    ),
    path(
        "agenda/activiteit/<int:pk>.ics",
        events_views.event_feed,
        name="agenda-event",
    ),
]
