from django import forms
from django.utils.translation import gettext_lazy as _


class OTPTokenForm(forms.Form):
    token = forms.RegexField(
        label=_("动态口令"), regex=r"^\s*\d{6}\s*$", max_length=12,
        error_messages={"invalid": _("请输入身份验证器显示的6位数字。"), "required": _("请输入动态口令。")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_token(self) -> str:
        return self.cleaned_data["token"].strip()
