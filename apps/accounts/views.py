"""The second step of sign-in for supervisors and administrators: enrol a TOTP device, enter its code."""

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from apps.accounts import otp
from apps.accounts.forms import OTPTokenForm
from apps.accounts.models import ApiScope

WRONG_CODE = "动态口令不正确或已使用过，请输入身份验证器当前显示的6位数字。"
TOO_MANY = "动态口令错误次数过多，请稍等片刻再试。"


def _next_url(request) -> str:
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return reverse("dashboard")


def _with_next(request, name: str):
    return redirect(f"{reverse(name)}?{REDIRECT_FIELD_NAME}={_next_url(request)}")


@login_required
def otp_verify(request):
    if not otp.needs_second_factor(request.user) or request.user.is_verified():
        return redirect(_next_url(request))
    device = otp.confirmed_device(request.user)
    if device is None:
        return _with_next(request, "accounts:otp_enrol")
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not otp.verification_allowed(device):
            form.add_error("token", TOO_MANY)
        elif otp.session_verify(request=request, device=device, token=form.cleaned_data["token"]):
            return redirect(_next_url(request))
        else:
            form.add_error("token", WRONG_CODE)
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})


@login_required
def otp_enrol(request):
    """Only without a confirmed device: a password alone must never be enough to add a second one."""
    if not otp.needs_second_factor(request.user) or request.user.is_verified():
        return redirect(_next_url(request))
    if otp.confirmed_device(request.user) is not None:
        return _with_next(request, "accounts:otp_verify")
    device = otp.pending_device(request.user)
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if otp.device_confirm(request=request, device=device, token=form.cleaned_data["token"]):
            return redirect(_next_url(request))
        form.add_error("token", WRONG_CODE)
    return render(request, "accounts/otp_enrol.html", {
        "form": form, "next": _next_url(request), "qr_svg": otp.qr_code_svg(device),
        "secret": otp.secret_base32(device),
    })


@login_required
def my_tokens(request):
    """An integration account's own page: its tokens (never a key: only the prefix is kept) and the API docs.
    The web UI is not for such accounts, but signing in should land somewhere useful, not on a 403."""
    tokens = request.user.api_tokens.select_related("created_by").order_by("-created_at")
    scope_labels = dict(ApiScope.choices)
    rows = [{"token": token, "scopes": [scope_labels.get(s, s) for s in token.scopes or []]} for token in tokens]
    return render(request, "accounts/my_tokens.html", {"rows": rows})
