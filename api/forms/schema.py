"""The forms in the API: `form` on each page type that has one, and the `submitForm` mutation.

Answers are data: a reader's mistakes come back as `errors` by field name with HTTP 200; a
request no frontend would make (too many values, a missing token, no form at the path) is a
GraphQL error. Which pages have forms is decided by `FormPageMixin`, never by naming an app.
"""

import logging
from typing import Any

import graphene
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.datastructures import MultiValueDict
from graphql import GraphQLError, GraphQLResolveInfo

from api import ratelimit
from api.forms import guards
from api.forms.pages import CHOICE_TYPES, MULTIPLE_TYPES, FormPageMixin
from api.graphql.enums import described
from api.graphql.errors import UserInputError
from api.graphql.pages import public_page_at
from api.graphql.response_cache import forbid_caching

logger = logging.getLogger("api.forms")

FormFieldTypeEnum = graphene.Enum(
    "FormFieldType",
    [
        ("SINGLE_LINE", "singleline"),
        ("MULTI_LINE", "multiline"),
        ("EMAIL", "email"),
        ("NUMBER", "number"),
        ("DATE", "date"),
        ("URL", "url"),
        ("CHECKBOX", "checkbox"),
        ("CHECKBOXES", "checkboxes"),
        ("DROPDOWN", "dropdown"),
        ("RADIO", "radio"),
    ],
    description=described(
        "What kind of answer a question takes. CHECKBOX is one tick (send `true` or `false`); "
        "CHECKBOXES any of its `choices` (send the name once per ticked choice); DROPDOWN and RADIO "
        "one of its `choices`; NUMBER a decimal number; DATE `YYYY-MM-DD`; URL a web address.",
        {
            "SINGLE_LINE": "One line of text.",
            "MULTI_LINE": "Text of several lines.",
            "EMAIL": "An email address.",
            "NUMBER": "A decimal number.",
            "DATE": "A day, sent as `YYYY-MM-DD`.",
            "URL": "A web address.",
            "CHECKBOX": "One tick: send `true` or `false`.",
            "CHECKBOXES": "Any of its `choices`: send the name once per ticked choice.",
            "DROPDOWN": "One of its `choices`, picked from a list.",
            "RADIO": "One of its `choices`, picked from buttons.",
        },
    ),
)


class FormFieldType(graphene.ObjectType):
    """One question of a form."""

    class Meta:
        name = "FormField"

    name = graphene.String(required=True, description="The name to submit the answer under.")
    label = graphene.String(required=True, description="The question as readers see it.")
    type = graphene.Field(FormFieldTypeEnum, required=True, description="The kind of answer.")
    required = graphene.Boolean(required=True, description="Whether the form is refused without an answer.")
    choices = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The answers to pick from (CHECKBOXES, DROPDOWN, RADIO), in order; empty otherwise.",
    )
    help_text = graphene.String(description="A hint to show under the question, as plain text; null if none.")
    max_length = graphene.Int(description="The longest answer accepted, in characters (text kinds only).")
    default_values = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="Answers to fill in at first (several only for CHECKBOXES); empty if none.",
    )

    @staticmethod
    def resolve_name(field: Any, info: GraphQLResolveInfo) -> str:
        return str(field.name)

    @staticmethod
    def resolve_type(field: Any, info: GraphQLResolveInfo) -> str:
        return str(field.field_type)

    @staticmethod
    def resolve_choices(field: Any, info: GraphQLResolveInfo) -> list[str]:
        return list(field.choice_list()) if field.field_type in CHOICE_TYPES else []

    @staticmethod
    def resolve_help_text(field: Any, info: GraphQLResolveInfo) -> str | None:
        return field.help_text or None

    @staticmethod
    def resolve_max_length(field: Any, info: GraphQLResolveInfo) -> int | None:
        length: int | None = field.max_length()
        return length

    @staticmethod
    def resolve_default_values(field: Any, info: GraphQLResolveInfo) -> list[str]:
        lines = [line.strip() for line in (field.default_value or "").splitlines() if line.strip()]
        return lines if field.field_type in MULTIPLE_TYPES else lines[:1]


class CaptchaType(graphene.ObjectType):
    """The CAPTCHA a form must pass, when the CMS asks for one."""

    class Meta:
        name = "FormCaptcha"

    provider = graphene.String(required=True, description="`turnstile` (Cloudflare) or `hcaptcha`.")
    site_key = graphene.String(required=True, description="The public site key to render the widget with.")


class FormType(graphene.ObjectType):
    """A form readers can answer; send it with the `submitForm` mutation."""

    class Meta:
        name = "Form"

    fields = graphene.List(
        graphene.NonNull(FormFieldType), required=True, description="The questions, in order."
    )
    submit_label = graphene.String(required=True, description="The text of the form's button.")
    confirmation_message = graphene.String(
        required=True,
        description="What readers are told once the form is accepted (`submitForm` returns the one to show).",
    )
    redirect_path = graphene.String(description="A site path to send readers to once accepted; null to stay.")
    honeypot = graphene.String(
        required=True,
        description=(
            "The name of a text input to render hidden from people (not `type=hidden`) and send as "
            "typed: people leave it empty; a submission with it filled in is dropped."
        ),
    )
    token = graphene.String(
        required=True,
        description=(
            "Send back as `submitForm(token:)`. It says when the form was handed out; answers sent "
            "too soon after are dropped. Selecting it makes the answer uncacheable: ask for it in a "
            "query of its own when the form is shown."
        ),
    )
    captcha = graphene.Field(
        CaptchaType, description="The CAPTCHA to render and pass, or null if none is asked."
    )

    @staticmethod
    def resolve_fields(page: FormPageMixin, info: GraphQLResolveInfo) -> list[Any]:
        return list(page.get_form_fields())

    @staticmethod
    def resolve_redirect_path(page: FormPageMixin, info: GraphQLResolveInfo) -> str | None:
        return page.redirect_path or None

    @staticmethod
    def resolve_honeypot(page: FormPageMixin, info: GraphQLResolveInfo) -> str:
        return guards.honeypot_name({field.name for field in page.get_form_fields()})

    @staticmethod
    def resolve_token(page: FormPageMixin, info: GraphQLResolveInfo) -> str:
        forbid_caching()
        return guards.form_token(page.pk)

    @staticmethod
    def resolve_captcha(page: FormPageMixin, info: GraphQLResolveInfo) -> CaptchaType | None:
        if not guards.captcha_required():
            return None
        return CaptchaType(provider=settings.FORMS_CAPTCHA_PROVIDER, site_key=settings.FORMS_CAPTCHA_SITE_KEY)


class FormValueInput(graphene.InputObjectType):
    """One answer: a question's `name` and the value as text (a CHECKBOXES answer repeats the name)."""

    name = graphene.String(required=True, description="The question's `name`, or the form's `honeypot`.")
    value = graphene.String(required=True, description="The answer as text.")


class FieldError(graphene.ObjectType):
    """Why one answer was not accepted; `field` is `__all__` for what concerns the whole form."""

    field = graphene.String(required=True, description="The question's `name`, `captcha`, or `__all__`.")
    messages = graphene.List(graphene.NonNull(graphene.String), required=True, description="What to fix.")


class SubmitFormResult(graphene.ObjectType):
    """What became of a submission."""

    ok = graphene.Boolean(required=True, description="Whether it was accepted; if not, `errors` says why.")
    errors = graphene.List(
        graphene.NonNull(FieldError), required=True, description="What to fix, by question; empty when ok."
    )
    message = graphene.String(description="What to tell the reader once accepted (the page may vary it).")
    redirect_path = graphene.String(description="A site path to send the reader to once accepted, if any.")


def _accepted(page: FormPageMixin) -> SubmitFormResult:
    return SubmitFormResult(
        ok=True, errors=[], message=page.confirmation_message, redirect_path=page.redirect_path or None
    )


def _refused(errors: dict[str, list[str]]) -> SubmitFormResult:
    return SubmitFormResult(
        ok=False,
        errors=[FieldError(field=name, messages=messages) for name, messages in errors.items()],
        message=None,
        redirect_path=None,
    )


def _check_sizes(values: list[Any]) -> None:
    if len(values) > settings.FORMS_MAX_VALUES:
        raise UserInputError(f"Send at most {settings.FORMS_MAX_VALUES} values.", argument="values")
    for item in values:
        if len(item.name) > 100:
            raise UserInputError("A value's `name` is at most 100 characters.", argument="values")
        if len(item.value) > settings.FORMS_MAX_VALUE_CHARS:
            raise UserInputError(
                f"A value is at most {settings.FORMS_MAX_VALUE_CHARS} characters.", argument="values"
            )


def _form_page(path: str) -> FormPageMixin:
    page = public_page_at(path)
    if not isinstance(page, FormPageMixin) or not page.takes_submissions():
        # The same answer for a path with no page, a page not public, a page without a form, an alias.
        raise GraphQLError(f"There is no form at {path!r}.", extensions={"code": "FORM_NOT_FOUND"})
    return page


def _answers(
    page: FormPageMixin, values: list[Any], honeypot: str
) -> tuple[MultiValueDict, dict[str, list[str]]]:
    """The answers as a form's data, and errors for names the form does not have or answers repeated."""
    fields = {field.name: field for field in page.get_form_fields()}
    data: MultiValueDict = MultiValueDict()
    errors: dict[str, list[str]] = {}
    for item in values:
        field = fields.get(item.name)
        if field is None and item.name != honeypot:
            errors[item.name] = ["This form has no question of this name."]
            continue
        if item.name in data and (field is None or field.field_type not in MULTIPLE_TYPES):
            errors[item.name] = ["Send one answer to this question."]
            continue
        data.appendlist(item.name, item.value)
    return data, errors


class FormMutation(graphene.ObjectType):
    """Sending the forms pages carry."""

    submit_form = graphene.Field(
        graphene.NonNull(SubmitFormResult),
        path=graphene.String(required=True, description="The frontend path of the page whose form it is."),
        values=graphene.List(graphene.NonNull(FormValueInput), required=True, description="The answers."),
        token=graphene.String(description="The `token` from the page's `form`; required."),
        captcha=graphene.String(
            description="The CAPTCHA widget's response, when `form { captcha }` asks for one."
        ),
        description=(
            "Send a form's answers. Mistakes come back in `errors` by question (HTTP 200); a path "
            "with no public form is a FORM_NOT_FOUND error. POST as `application/json` only."
        ),
    )

    @staticmethod
    def resolve_submit_form(
        root: Any,
        info: GraphQLResolveInfo,
        path: str,
        values: list[Any],
        token: str | None = None,
        captcha: str | None = None,
    ) -> SubmitFormResult:
        request = info.context
        forbid_caching()
        _check_sizes(values)
        retry_after = guards.over_submission_limit(request)
        if retry_after is not None:
            raise GraphQLError(
                f"Too many submissions: try again in {retry_after} seconds.",
                extensions={"code": "RATE_LIMITED", "retryAfter": retry_after},
            )
        page = _form_page(path)
        if not token:
            raise UserInputError("Send the `token` the page's `form { token }` gave.", argument="token")
        try:
            elapsed = guards.seconds_since_token(token, page.pk)
        except guards.TokenInvalid:
            raise UserInputError(
                "`token` is not one this page's form gave: ask for `form { token }` again.", argument="token"
            ) from None
        except guards.TokenExpired:
            return _refused({NON_FIELD_ERRORS: ["This form has expired: reload the page and send it again."]})
        honeypot = guards.honeypot_name({field.name for field in page.get_form_fields()})
        data, errors = _answers(page, values, honeypot)
        if any(value for value in data.getlist(honeypot)) or guards.too_fast(elapsed):
            # Answered as if accepted: a bot learns nothing. Nothing of the answers is logged.
            logger.info("Form submission on page %s dropped as automated", page.pk)
            return _accepted(page)
        if errors:
            return _refused(errors)
        form = page.get_form(data, page=page, user=None)
        if not form.is_valid():
            return _refused({name: list(messages) for name, messages in form.errors.items()})
        if guards.captcha_required() and not guards.captcha_passed(
            captcha, ratelimit.client_address(request)
        ):
            return _refused({"captcha": ["Complete the CAPTCHA check, then send the form again."]})
        try:
            with transaction.atomic():
                outcome = page.accept_submission(form, request)
        except ValidationError as exc:
            return _refused(_validation_messages(exc))
        return SubmitFormResult(
            ok=True, errors=[], message=outcome.message, redirect_path=outcome.redirect_path
        )


def _validation_messages(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {name: [str(m) for e in errs for m in e.messages] for name, errs in exc.error_dict.items()}
    return {NON_FIELD_ERRORS: [str(message) for message in exc.messages]}
