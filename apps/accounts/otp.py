"""Two-factor sign-in (TOTP, django-otp) for supervisors and administrators: who needs it, enrolment, check.

A supervisor or administrator signs in with the password, then confirms the session with a 6-digit code
from an authenticator app (SecondFactorRequiredMiddleware sends them here). Without a confirmed device the
first sign-in enrols one: the QR code is drawn locally as SVG (qrcode), no image leaves the server.
"""

import base64
import io
import logging

import qrcode
import qrcode.image.svg
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

logger = logging.getLogger(__name__)

DEVICE_NAME = "身份验证器"


def needs_second_factor(user) -> bool:
    """Supervisors, administrators and superusers (User.is_supervisor covers all three)."""
    return bool(user.is_authenticated and user.is_supervisor)


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def pending_device(user) -> TOTPDevice:
    """The device being enrolled: one unconfirmed TOTP key per user, kept until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def secret_base32(device: TOTPDevice) -> str:
    """The key as authenticator apps accept it typed by hand."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def qr_code_svg(device: TOTPDevice) -> str:
    """The otpauth:// URI as an inline SVG (path elements only: no script, no external reference)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue().decode().split("?>", 1)[-1].strip()  # drop the XML declaration for inline use


def device_confirm(*, request, device: TOTPDevice, token: str) -> bool:
    """Enrolment: the first correct code confirms the device and verifies this session."""
    if not device.verify_token(token):
        logger.info("otp enrolment code refused", extra={"user_id": device.user_id})
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    logger.info("otp device confirmed", extra={"user_id": device.user_id, "device_id": device.pk})
    return True


def session_verify(*, request, device: TOTPDevice, token: str) -> bool:
    """Each sign-in: a correct, unused code verifies the session. django-otp throttles repeated failures
    (the delay doubles after each wrong code) and refuses a code used before."""
    if not device.verify_token(token):
        logger.info("otp code refused", extra={"user_id": device.user_id})
        return False
    otp_login(request, device)
    return True


def verification_allowed(device: TOTPDevice) -> bool:
    allowed, _ = device.verify_is_allowed()
    return bool(allowed)
