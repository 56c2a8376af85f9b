# SPDX-License-Identifier: EUPL-1.2
"""Photos of listings: upload checks (size, real image format, extension, pixel
size), metadata stripped, permissions, the limit per listing, the file served only
to readers of the listing, and nothing left on disk after a refused upload."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

import pytest
from PIL import Image
from rest_framework.test import APIClient

from cirkelregio.exchange import services
from cirkelregio.exchange.models import ListingPhoto
from cirkelregio.exchange.services.photos import MAX_PHOTO_BYTES
from cirkelregio.exchange.tests.conftest import Exchange

pytestmark = pytest.mark.django_db

API = "/api/v1/exchange"
PROBLEM = "application/problem+json"
GPS_TAG = 34853


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _image(fmt: str = "PNG", size: tuple[int, int] = (40, 30), **save: Any) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 80, 20)).save(out, format=fmt, **save)
    return out.getvalue()


def _upload(data: bytes, name: str = "photo.png", ctype: str = "image/png") -> Any:
    return SimpleUploadedFile(name, data, content_type=ctype)


def _client(user: Any = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _post(client: APIClient, listing_id: int, data: bytes, name: str, alt: str = "x"):
    return client.post(
        f"{API}/listings/{listing_id}/photos/",
        {"image": _upload(data, name), "alt": alt},
        format="multipart",
    )


def _invalid(response: Any) -> set[str]:
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith(PROBLEM)
    return {p["name"] for p in response.json()["invalid_params"]}


def test_good_upload_is_stored_under_a_random_name(
    exchange: Exchange, media: Path
) -> None:
    r = _post(_client(exchange.editor_a), exchange.s1.pk, _image(), "my house.png")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["alt"] == "x"
    assert body["image_format"] == "PNG"
    assert (body["width"], body["height"]) == (40, 30)
    photo = ListingPhoto.objects.get(pk=body["id"])
    assert "my house" not in photo.image.name
    assert photo.image.name.startswith("exchange/listings/")
    assert photo.image.name.endswith(".png")
    assert len(_files(media)) == 1
    with Image.open(photo.image.path) as img:
        assert img.format == "PNG"
        assert img.size == (40, 30)

    listing = _client().get(f"{API}/listings/{exchange.s1.pk}/").json()
    assert listing["photos"] == [
        {
            "id": photo.pk,
            "url": f"{API}/photos/{photo.pk}/file/",
            "alt": "x",
            "image_format": "PNG",
            "width": 40,
            "height": 30,
            "order": 0,
        }
    ]
    f = _client().get(f"{API}/photos/{photo.pk}/file/", HTTP_ACCEPT="image/*")
    assert f.status_code == 200
    assert f["Content-Type"] == "image/png"
    assert f["X-Content-Type-Options"] == "nosniff"
    assert b"".join(f.streaming_content).startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("data", "name", "field"),
    [
        pytest.param(b"x" * (MAX_PHOTO_BYTES + 1), "big.png", "image", id="too-large"),
        pytest.param(b"just some text\n" * 10, "notes.png", "image", id="text-as-png"),
        pytest.param(_image("GIF"), "anim.gif", "image", id="gif"),
        pytest.param(_image("GIF"), "anim.png", "image", id="gif-as-png"),
        pytest.param(_image("PNG"), "photo.jpg", "image", id="wrong-extension"),
        pytest.param(_image("PNG"), "photo", "image", id="no-extension"),
        pytest.param(_image("PNG", (6001, 2)), "wide.png", "image", id="too-wide"),
        pytest.param(_image("PNG")[:60], "cut.png", "image", id="truncated"),
    ],
)
def test_refused_uploads_write_nothing(
    exchange: Exchange, media: Path, data: bytes, name: str, field: str
) -> None:
    r = _post(_client(exchange.editor_a), exchange.s1.pk, data, name)
    assert _invalid(r) == {field}
    assert not ListingPhoto.objects.exists()
    assert _files(media) == []


def test_alt_text_is_required(exchange: Exchange, media: Path) -> None:
    client = _client(exchange.editor_a)
    assert _invalid(_post(client, exchange.s1.pk, _image(), "a.png", alt="")) == {"alt"}
    r = client.post(
        f"{API}/listings/{exchange.s1.pk}/photos/",
        {"alt": "no image"},
        format="multipart",
    )
    assert _invalid(r) == {"image"}
    with pytest.raises(ValidationError) as exc:
        services.listing_photo_add(
            actor=exchange.editor_a,
            listing=exchange.s1,
            file=_upload(_image(), "a.png"),
            alt="   ",
        )
    assert set(exc.value.message_dict) == {"alt"}
    assert _files(media) == []


def test_exif_and_gps_are_removed(exchange: Exchange) -> None:
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    exif[GPS_TAG] = {1: "N", 2: (52.0, 5.0, 10.0), 3: "E", 4: (5.0, 7.0, 1.0)}
    data = _image("JPEG", (50, 50), exif=exif.tobytes())
    with Image.open(io.BytesIO(data)) as original:
        assert GPS_TAG in original.getexif()

    photo = services.listing_photo_add(
        actor=exchange.editor_a,
        listing=exchange.s1,
        file=_upload(data, "IMG_0001.JPG", "image/jpeg"),
        alt="Bricks on a pallet",
    )
    assert photo.image_format == "JPEG"
    assert photo.image.name.endswith(".jpg")
    with Image.open(photo.image.path) as stored:
        assert stored.format == "JPEG"
        exif_after = stored.getexif()
        assert GPS_TAG not in exif_after
        assert len(exif_after) == 0
        assert "exif" not in stored.info


def test_webp_is_accepted(exchange: Exchange) -> None:
    photo = services.listing_photo_add(
        actor=exchange.coordinator,
        listing=exchange.s1,
        file=_upload(_image("WEBP"), "p.webp", "image/webp"),
        alt="A webp",
    )
    assert photo.content_type == "image/webp"


@pytest.mark.parametrize(("who", "expected"), [("anonymous", 403), ("editor_b", 403)])
def test_only_editors_of_the_owner_upload(
    exchange: Exchange, media: Path, who: str, expected: int
) -> None:
    user = None if who == "anonymous" else exchange.editor_b
    r = _post(_client(user), exchange.s1.pk, _image(), "a.png")
    assert r.status_code == expected
    assert r["Content-Type"].startswith(PROBLEM)
    with pytest.raises(PermissionDenied):
        services.listing_photo_add(
            actor=exchange.editor_b,
            listing=exchange.s1,
            file=_upload(_image(), "a.png"),
            alt="x",
        )
    assert not ListingPhoto.objects.exists()
    assert _files(media) == []


def test_seventh_photo_is_refused(exchange: Exchange, media: Path) -> None:
    client = _client(exchange.editor_a)
    for i in range(6):
        assert _post(client, exchange.s1.pk, _image(), f"{i}.png").status_code == 201
    assert _invalid(_post(client, exchange.s1.pk, _image(), "7.png")) == {"image"}
    assert exchange.s1.photos.count() == 6
    assert [p.order for p in exchange.s1.photos.all()] == list(range(6))
    assert len(_files(media)) == 6


def test_delete_photo(
    exchange: Exchange, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    photo = services.listing_photo_add(
        actor=exchange.editor_a,
        listing=exchange.s1,
        file=_upload(_image(), "a.png"),
        alt="x",
    )
    url = f"{API}/listings/{exchange.s1.pk}/photos/{photo.pk}/"
    assert _client(exchange.editor_b).delete(url).status_code == 403
    assert _client().delete(url).status_code == 403
    other = f"{API}/listings/{exchange.d1.pk}/photos/{photo.pk}/"
    assert _client(exchange.coordinator).delete(other).status_code == 404
    with pytest.raises(PermissionDenied):
        services.listing_photo_delete(actor=exchange.editor_b, photo=photo)
    with django_capture_on_commit_callbacks(execute=True):
        r = _client(exchange.editor_a).delete(url)
    assert r.status_code == 204
    assert not ListingPhoto.objects.exists()
    assert _files(media) == []


def test_file_view_follows_listing_visibility(exchange: Exchange) -> None:
    photo = services.listing_photo_add(
        actor=exchange.editor_a,
        listing=exchange.s1,
        file=_upload(_image(), "a.png"),
        alt="x",
    )
    services.listing_update(
        actor=exchange.editor_a, listing=exchange.s1, is_published=False
    )
    url = f"{API}/photos/{photo.pk}/file/"
    r = _client().get(url)
    assert r.status_code == 404
    assert r["Content-Type"].startswith(PROBLEM)
    assert _client(exchange.editor_b).get(url).status_code == 404
    assert _client(exchange.editor_a).get(url).status_code == 200
    assert _client(exchange.coordinator).get(url).status_code == 200
    assert _client().get(f"{API}/photos/999999/file/").status_code == 404


def test_deleting_a_listing_removes_its_files(
    exchange: Exchange, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    services.listing_photo_add(
        actor=exchange.editor_a,
        listing=exchange.s1,
        file=_upload(_image(), "a.png"),
        alt="x",
    )
    assert len(_files(media)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.listing_delete(actor=exchange.editor_a, listing=exchange.s1)
    assert _files(media) == []


def _admin_data(listing: Any, **photo: Any) -> dict[str, Any]:
    data = {
        "reference": listing.reference,
        "project_name": listing.project_name,
        "material": listing.material_id,
        "quantity": listing.quantity,
        "quality": listing.quality,
        "lat": listing.lat,
        "lon": listing.lon,
        "country": listing.country,
        "municipality": listing.municipality_id or "",
        "window_from": listing.window_from.isoformat(),
        "window_until": listing.window_until.isoformat(),
        "status": listing.status,
        "notes": listing.notes,
        "is_published": "on",
        "photos-TOTAL_FORMS": "1",
        "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "6",
    }
    data.update({f"photos-0-{k}": v for k, v in photo.items()})
    return data


def test_admin_inline_adds_photos_through_the_service(
    exchange: Exchange, media: Path
) -> None:
    client = Client()
    client.force_login(exchange.editor_a)
    url = f"/admin/exchange/listing/{exchange.s1.pk}/change/"
    assert client.get(url).status_code == 200
    bad = _admin_data(exchange.s1, image=_upload(b"text", "a.png"), alt="x")
    response = client.post(url, bad)
    assert response.status_code == 200
    assert "geen JPEG-, PNG- of WebP-afbeelding" in response.content.decode()
    assert _files(media) == []
    good = _admin_data(exchange.s1, image=_upload(_image(), "a.png"), alt="Stack")
    response = client.post(url, good)
    assert response.status_code == 302, response.content.decode()[:3000]
    photo = exchange.s1.photos.get()
    assert photo.alt == "Stack"
    assert photo.image_format == "PNG"
    page = client.get(url).content.decode()
    assert f"/api/v1/exchange/photos/{photo.pk}/file/" in page


def test_exchange_page_shows_a_thumbnail_link(exchange: Exchange) -> None:
    photo = services.listing_photo_add(
        actor=exchange.editor_a,
        listing=exchange.s1,
        file=_upload(_image(), "a.png"),
        alt="Bricks on a pallet",
    )
    page = Client().get("/uitwisseling/").content.decode()
    assert f'href="{API}/photos/{photo.pk}/file/"' in page
    assert 'alt="Bricks on a pallet"' in page
