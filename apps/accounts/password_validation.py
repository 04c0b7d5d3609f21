"""Django's minimum-length validator with its message in Chinese.

Django's zh-hans catalogue has no translation for the current minimum-length message (it shows in English);
the other validators' messages are translated (“密码只包含数字。”, “这个密码太常见了。”, “密码与…太相似。”).
"""

from django.contrib.auth.password_validation import MinimumLengthValidator


class ChineseMinimumLengthValidator(MinimumLengthValidator):
    def get_error_message(self) -> str:
        return f"密码长度太短，至少需要 {self.min_length} 个字符。"

    def get_help_text(self) -> str:
        return f"密码至少需要 {self.min_length} 个字符。"
