from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.exceptions import ApplicationError
from apps.imports.limits import ImportLimits, check_content
from apps.imports.models import ImportBatch


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("导入类型"), choices=ImportBatch.Kind.choices)
    file = forms.FileField(label=_("文件（CSV UTF-8 或 XLSX）"),
                           help_text=_("第一行为表头。任何一行有错，整个文件都不会导入，并列出所有错误。较大的文件在后台导入，页面显示进度。"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("只支持 .csv 或 .xlsx 文件。"))
        try:
            ImportLimits.from_settings().check_size(upload.size)  # the bytes received, not a header's claim
            check_content(upload, upload.name)  # the bytes, not the name or the browser's Content-Type
        except ApplicationError as error:
            raise forms.ValidationError(error.message) from error
        return upload
