"""Moments' writes: submit (validated photos stored privately, processed by a task), approve, reject, withdraw."""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from .models import CONSENT_TEXT, Moment, MomentPhoto

log = logging.getLogger(__name__)


def moment_submit(*, data: dict, photos: list[bytes]) -> Moment:
    """Store a shared moment as pending, with its checked photos; their page sizes are made after commit."""
    with transaction.atomic():
        moment = Moment.objects.create(
            order=data["order"],
            **{k: data[k] for k in ("first_name_1", "last_name_1", "first_name_2", "last_name_2", "email_1")},
            email_2=data.get("email_2") or "",
            country=data["country"],
            region=data.get("region") or "",
            city=data["city"],
            story=data["story"],
            instagram_1=data.get("instagram_1") or "",
            instagram_2=data.get("instagram_2") or "",
            consent_text=CONSENT_TEXT,
            consent_at=timezone.now(),
        )
        for position, content in enumerate(photos):
            photo = MomentPhoto(moment=moment, position=position)
            # A generated name: the shopper's file name never reaches the disk.
            photo.upload.save(f"{photo.token}.upload", ContentFile(content), save=False)
            photo.save()
        transaction.on_commit(lambda: _queue(moment.pk))
        transaction.on_commit(lambda: _acknowledge(moment.pk))
    return moment


def _queue(moment_id: int) -> None:
    from .tasks import process_moment_photos

    process_moment_photos.delay(moment_id)


def moment_process_photos(*, moment_id: int) -> int:
    """Make the page sizes of each unprocessed photo and delete the upload (originals are not kept)."""
    from .photos import PhotoRejected, render_variants

    done = 0
    for photo in MomentPhoto.objects.filter(moment_id=moment_id, state=MomentPhoto.State.PROCESSING):
        if not photo.upload:
            continue
        with photo.upload.open("rb") as handle:
            data = handle.read()
        try:
            variants = render_variants(data)
        except PhotoRejected as exc:
            log.warning("Moment %s photo %s could not be processed: %s", moment_id, photo.pk, exc)
            photo.state = MomentPhoto.State.FAILED
        else:
            for key, content in variants.items():
                size, ext = key.split(".")
                getattr(photo, f"{size}_{'jpg' if ext == 'jpg' else 'webp'}").save(
                    f"{photo.token}-{size}.{ext}", ContentFile(content), save=False
                )
            photo.state = MomentPhoto.State.READY
            done += 1
        photo.upload.delete(save=False)
        photo.save()
        moment = photo.moment
        if moment.cover_id is None and photo.state == MomentPhoto.State.READY:
            Moment.objects.filter(pk=moment_id, cover__isnull=True).update(cover=photo)
    return done


def _acknowledge(moment_id: int) -> None:
    from core.outbox import email_queue

    moment = Moment.objects.get(pk=moment_id)
    to = [e for e in (moment.email_1, moment.email_2) if e]
    email_queue(
        subject="Thank you for sharing your engagement moment",
        to=to,
        text=(
            f"Dear {moment.first_name_1} and {moment.first_name_2},\n\nThank you for sharing your story with us. "
            "Our team reviews every moment by hand; we will write again when yours is published.\n\n"
            "With love,\nSolitaire\n"
        ),
    )


def moment_approve(*, moment: Moment) -> None:
    if moment.status == Moment.Status.APPROVED:
        return
    moment.status, moment.approved_at = Moment.Status.APPROVED, timezone.now()
    moment.save(update_fields=["status", "approved_at"])


def moment_reject(*, moment: Moment, reason: str) -> None:
    from core.outbox import email_queue

    moment.status = Moment.Status.REJECTED
    moment.rejection_reason = reason
    moment.month_of = None
    moment.save(update_fields=["status", "rejection_reason", "month_of"])
    to = [e for e in (moment.email_1, moment.email_2) if e]
    text = (
        f"Dear {moment.first_name_1} and {moment.first_name_2},\n\nThank you so much for sharing your engagement "
        f"moment with us. We are not able to publish it in our gallery this time: {reason}\n\n"
        "You are welcome to send it again with new photos, and we wish you every happiness.\n\nWith love,\nSolitaire\n"
    )
    email_queue(subject="About your engagement moment", to=to, text=text)  # sent after commit


def moment_withdraw(*, moment: Moment) -> None:
    """Consent withdrawn: off the gallery at once, photos no longer served."""
    moment.status, moment.month_of = Moment.Status.WITHDRAWN, None
    moment.save(update_fields=["status", "month_of"])
