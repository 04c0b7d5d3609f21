"""Templates as admins write them: Django template syntax on a closed engine.

The engine has no loaders (no `{% include %}` or `{% extends %}` of a file), no autoescape (the text goes into
an SMS, a plain-text e-mail, or an inbox page that escapes it when shown) and a marker for a missing
variable, so validation can say which name is not documented. Only the tags listed below are allowed.
"""

from __future__ import annotations

import re
from typing import Any

from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import Lexer, TokenType

ALLOWED_TAGS = {"if", "elif", "else", "endif", "for", "empty", "endfor", "with", "endwith", "firstof",
                "comment", "endcomment", "spaceless", "endspaceless"}
MISSING = "\x00MISSING\x00"
_ENGINE = Engine(autoescape=False, string_if_invalid=MISSING, loaders=[], libraries={}, builtins=[])
_VARIABLE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)")


class TemplateProblem(ValueError):
    pass


def _check_tags(source: str) -> set[str]:
    """The variable names a template reads; a tag outside ALLOWED_TAGS is refused."""
    names: set[str] = set()
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            tag = token.contents.split()[0] if token.contents.split() else ""
            if tag not in ALLOWED_TAGS:
                raise TemplateProblem(f"不允许使用标签 {{% {tag} %}}，可用：if、for、with、firstof")
        elif token.token_type == TokenType.VAR:
            match = _VARIABLE.match(token.contents)
            if match:
                names.add(match.group(1))
    return names


def render_text(source: str, context: dict[str, Any]) -> str:
    """Render one template. Raises TemplateProblem on a syntax error, a forbidden tag or a missing variable."""
    _check_tags(source)
    try:
        text = _ENGINE.from_string(source).render(Context(context, autoescape=False))
    except TemplateSyntaxError as error:
        raise TemplateProblem(f"模板语法错误：{error}") from None
    if MISSING in text:
        raise TemplateProblem("模板使用了未提供的变量")
    return text.strip()


def template_problems(source: str, *, allowed: set[str], sample: dict[str, Any]) -> list[str]:
    """What is wrong with a template for an event whose documented variables are `allowed`."""
    try:
        names = _check_tags(source)
    except TemplateProblem as problem:
        return [str(problem)]
    loop_names = set(re.findall(r"{%\s*(?:for|with)\s+([A-Za-z_][A-Za-z0-9_]*)", source))
    loop_names |= set(re.findall(r"{%\s*with\s+[^%]*?\bas\s+([A-Za-z_][A-Za-z0-9_]*)", source))
    loop_names |= {"forloop"}
    unknown = sorted(names - allowed - loop_names)
    if unknown:
        return [f"变量 {'、'.join(unknown)} 不是该事件提供的变量，可用：{'、'.join(sorted(allowed))}"]
    try:
        render_text(source, sample)
    except TemplateProblem as problem:
        return [str(problem)]
    return []
