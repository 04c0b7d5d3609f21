from django import forms
from django.utils.translation import gettext_lazy as _

from apps.imports.models import ImportBatch

MAX_UPLOAD_MB = 200


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("导入类型"), choices=ImportBatch.Kind.choices)
    file = forms.FileField(label=_("文件（CSV UTF-8 或 XLSX）"),
                           help_text=_("第一行为表头。任何一行有错，整个文件都不会导入，并列出所有错误。"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("只支持 .csv 或 .xlsx 文件。"))
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(_("文件超过 %(mb)s MB，请使用命令行导入。") % {"mb": MAX_UPLOAD_MB})
        return upload
