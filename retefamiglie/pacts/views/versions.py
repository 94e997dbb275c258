"""The pact: the version in force, every version, consultation, signing, and the
coordinators' (and municipal officers') management of versions.
"""

import difflib
import re
from dataclasses import dataclass, field
from functools import wraps

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from rules.contrib.views import permission_required

from retefamiglie.accounts.decorators import mfa_required_for_roles
from retefamiglie.core.middleware import public_page
from retefamiglie.participation import selectors as participation_selectors

from .. import selectors
from ..forms_versions import (
    AnswerForm,
    CommentForm,
    CompareForm,
    SignForm,
    TransitionForm,
    VersionForm,
)
from ..models import PactSection, PactVersion, SectionComment, SectionKind
from ..rules import is_manager
from ..services import versions as services

Status = PactVersion.Status


def _get_version(request, number, **kwargs) -> PactVersion:
    """The version, if this person may see it: drafts only for coordinators."""
    version = get_object_or_404(
        PactVersion.objects.select_related("approved_by"), number=number
    )
    if version.status == Status.DRAFT and not is_manager(request.user):
        raise Http404
    return version


def _get_comment(request, comment_id, **kwargs) -> SectionComment:
    return get_object_or_404(
        SectionComment.objects.select_related("section__version"), pk=comment_id
    )


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _checked_post(permission: str, fn=None, mfa: bool = False):
    """Login, the permission (with the object), MFA if asked, POST only.

    Django lets a superuser through every has_perm; the rule itself also says
    whether the version is in the right status, so it is asked again.
    """

    def decorate(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            obj = fn(request, **kwargs) if fn else None
            if not rules.has_perm(permission, request.user, obj):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped = require_POST(checked)
        if mfa:
            wrapped = mfa_required_for_roles(wrapped)
        wrapped = permission_required(permission, fn=fn, raise_exception=True)(wrapped)
        return login_required(wrapped)

    return decorate


# ------------------------------------------------------------------------------
# Reading the pact
# ------------------------------------------------------------------------------


def _sign_form(request, organisations, data=None) -> SignForm | None:
    if not organisations:
        return None
    return SignForm(data, organisations=organisations, prefix="sign")


@public_page
@require_GET
def current(request):
    version = selectors.version_in_force()
    if version is None:
        return render(request, "pacts/versions/none.html")
    to_resign = list(selectors.members_to_resign(request.user))
    context = {
        "version": version,
        "sections": selectors.sections_of(version),
        "signatures": selectors.signatures_of(version),
        "to_resign": to_resign,
        "link_members": True,
        "sign_form": _sign_form(
            request, selectors.members_to_resign(request.user) if to_resign else None
        ),
    }
    return render(request, "pacts/versions/current.html", context)


@public_page
@require_GET
def version_list(request):
    return render(
        request,
        "pacts/versions/list.html",
        {
            "versions": selectors.versions_visible_to(user=request.user),
            "can_manage": rules.has_perm("pacts.manage_versions", request.user),
        },
    )


@dataclass
class SectionBlock:
    section: PactSection
    comment_form: CommentForm | None = None
    comments: list = field(default_factory=list)


def _render_detail(request, version: PactVersion, bound=None, status=200):
    bound = bound or {}
    user = request.user
    can_comment = rules.has_perm("pacts.comment_section", user, version)
    can_answer = rules.has_perm("pacts.answer_comment", user)
    organisations = selectors.comment_organisations_for(user)
    blocks = []
    for section in selectors.sections_of(version, with_comments=True):
        block = SectionBlock(section=section)
        if can_comment:
            block.comment_form = bound.get(f"comment-{section.pk}") or CommentForm(
                prefix=f"comment-{section.pk}", organisations=organisations
            )
        for comment in section.comments.all():
            answer_form = None
            if can_answer:
                answer_form = bound.get(f"answer-{comment.pk}") or AnswerForm(
                    prefix=f"answer-{comment.pk}",
                    initial={"answer": comment.answer},
                )
            block.comments.append((comment, answer_form))
        blocks.append(block)
    context = {
        "version": version,
        "blocks": blocks,
        "can_comment": can_comment,
        "transitions": services.transitions_for(version=version, user=user),
        "can_edit": rules.has_perm("pacts.edit_version", user, version),
        "signature_count": version.signatures.count(),
    }
    return render(request, "pacts/versions/detail.html", context, status=status)


@public_page
@require_GET
def version_detail(request, number):
    return _render_detail(request, _get_version(request, number))


def _print_context(request, version: PactVersion) -> dict:
    return {
        "version": version,
        "sections": selectors.sections_of(version),
        "signatures": selectors.signatures_of(version),
    }


@public_page
@require_GET
def version_print(request, number):
    version = _get_version(request, number)
    context = {**_print_context(request, version), "link_members": True}
    return render(request, "pacts/versions/print.html", context)


@public_page
@require_GET
def version_pdf(request, number):
    # Imported here: WeasyPrint is heavy and only this page needs it.
    import weasyprint

    version = _get_version(request, number)
    html = render_to_string(
        "pacts/versions/pdf.html", _print_context(request, version), request=request
    )
    pdf = weasyprint.HTML(
        string=html, base_url=request.build_absolute_uri("/")
    ).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="patto-versione-{version.number}.pdf"'
    )
    return response


# ------------------------------------------------------------------------------
# Comparing two versions
# ------------------------------------------------------------------------------

TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass
class Change:
    op: str  # "equal", "insert" or "delete"
    text: str


@dataclass
class SectionDiff:
    title: str
    state: str  # "same", "changed", "added" or "removed"
    changes: list[Change]


def diff_words(old: str, new: str) -> list[Change]:
    """Word by word (keeping spaces and line breaks): what stayed, what was
    deleted, what was inserted."""
    before, after = TOKEN.findall(old), TOKEN.findall(new)
    changes: list[Change] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            changes.append(Change("equal", "".join(before[i1:i2])))
            continue
        if op in ("delete", "replace"):
            changes.append(Change("delete", "".join(before[i1:i2])))
        if op in ("insert", "replace"):
            changes.append(Change("insert", "".join(after[j1:j2])))
    return changes


def diff_versions(base: PactVersion, target: PactVersion) -> list[SectionDiff]:
    old = {s.kind: s for s in selectors.sections_of(base)}
    new = {s.kind: s for s in selectors.sections_of(target)}
    result = []
    for kind in SectionKind:
        before, after = old.get(kind.value), new.get(kind.value)
        if before is None and after is not None:
            result.append(
                SectionDiff(after.title, "added", [Change("insert", after.body)])
            )
        elif before is not None and after is None:
            result.append(
                SectionDiff(before.title, "removed", [Change("delete", before.body)])
            )
        elif before is not None and after is not None:
            changes = diff_words(before.body, after.body)
            same = all(c.op == "equal" for c in changes)
            result.append(
                SectionDiff(after.title, "same" if same else "changed", changes)
            )
    return result


@public_page
@require_GET
def version_diff(request, number):
    version = _get_version(request, number)
    numbers = [
        n
        for n in selectors.versions_visible_to(user=request.user).values_list(
            "number", flat=True
        )
        if n != version.number
    ]
    default = max((n for n in numbers if n < version.number), default=None)
    if default is None and numbers:
        default = numbers[0]
    form = CompareForm(
        request.GET if "con" in request.GET else None,
        numbers=numbers,
        initial={"con": default},
    )
    other_number = form.cleaned_data["con"] if form.is_valid() else default
    context = {"version": version, "form": form, "other": None, "diff": []}
    if other_number is not None and (form.is_valid() or not form.is_bound):
        other = _get_version(request, other_number)
        base, target = sorted((version, other), key=lambda v: v.number)
        context.update(
            other=other,
            base=base,
            target=target,
            diff=diff_versions(base, target),
        )
    return render(request, "pacts/versions/diff.html", context)


# ------------------------------------------------------------------------------
# Signing and commenting
# ------------------------------------------------------------------------------


@_checked_post("pacts.sign_version", fn=_get_version)
def sign(request, number):
    version = _get_version(request, number)
    organisations = selectors.members_to_resign(request.user)
    form = SignForm(request.POST, organisations=organisations, prefix="sign")
    if form.is_valid():
        try:
            services.version_sign(
                version=version,
                organisation=form.cleaned_data["organisation"],
                user=request.user,
                signer_role=form.cleaned_data["signer_role"],
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(
                request,
                _("%(name)s has signed version %(number)s of the pact. Thank you!")
                % {
                    "name": form.cleaned_data["organisation"].name,
                    "number": version.number,
                },
            )
    elif "organisation" in form.errors:
        # The member is not among those still to sign: it signed already.
        messages.error(request, _("Your organisation has already signed this version."))
    else:
        messages.error(request, _("Write the role in which you sign the pact."))
    return redirect("pacts:current")


@_checked_post("pacts.comment_section", fn=_get_version)
def comment(request, number, section_id):
    version = _get_version(request, number)
    section = get_object_or_404(PactSection, pk=section_id, version=version)
    prefix = f"comment-{section.pk}"
    form = CommentForm(
        request.POST,
        prefix=prefix,
        organisations=selectors.comment_organisations_for(request.user),
    )
    if form.is_valid():
        try:
            services.comment_add(
                section=section,
                author=request.user,
                body=form.cleaned_data["body"],
                organisation=form.cleaned_data.get("organisation"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you: your comment has been published."))
            return redirect(f"{version.get_absolute_url()}#section-{section.kind}")
    return _render_detail(request, version, {prefix: form}, status=400)


@_checked_post("pacts.answer_comment", mfa=True)
def comment_answer(request, comment_id):
    comment = _get_comment(request, comment_id)
    version = comment.section.version
    prefix = f"answer-{comment.pk}"
    form = AnswerForm(request.POST, prefix=prefix)
    if form.is_valid():
        services.comment_answer(
            comment=comment, actor=request.user, answer=form.cleaned_data["answer"]
        )
        messages.success(request, _("Your answer has been published."))
        return redirect(f"{version.get_absolute_url()}#comment-{comment.pk}")
    return _render_detail(request, version, {prefix: form}, status=400)


# ------------------------------------------------------------------------------
# Staff area: coordinators, and municipal officers for the steps they take
# ------------------------------------------------------------------------------


@login_required
@permission_required("pacts.manage_versions", raise_exception=True)
@mfa_required_for_roles
@require_GET
def manage(request):
    versions = list(selectors.versions_visible_to(user=request.user))
    for version in versions:
        version.transitions = services.transitions_for(
            version=version, user=request.user
        )
        version.can_edit = rules.has_perm("pacts.edit_version", request.user, version)
    return render(
        request,
        "pacts/versions/manage.html",
        {"versions": versions, "current": selectors.version_in_force()},
    )


@login_required
@permission_required("pacts.manage_versions", raise_exception=True)
@mfa_required_for_roles
@require_http_methods(["GET", "POST"])
def version_create(request):
    if request.method == "POST":
        version = services.version_create(actor=request.user)
        messages.success(
            request,
            _("Version %(number)s has been created as a draft: write its changes.")
            % {"number": version.number},
        )
        return redirect("pacts:version_edit", number=version.number)
    return render(
        request,
        "pacts/versions/create.html",
        {"current": selectors.version_in_force()},
    )


@login_required
@permission_required("pacts.edit_version", fn=_get_version, raise_exception=True)
@mfa_required_for_roles
@require_http_methods(["GET", "POST"])
def version_edit(request, number):
    version = _get_version(request, number)
    # A superuser passes every has_perm: the rule also says the version is editable.
    if not rules.has_perm("pacts.edit_version", request.user, version):
        raise PermissionDenied
    form = VersionForm(
        request.POST or None,
        instance=version,
        sections=selectors.sections_of(version),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.version_update(
                version=version,
                actor=request.user,
                sections=form.section_texts(),
                **form.version_data(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The version has been saved."))
            return redirect("pacts:manage_versions")
    return render(
        request,
        "pacts/versions/edit.html",
        {
            "form": form,
            "version": version,
            "suggestions": _suggestions(),
        },
    )


def _suggestions() -> list[tuple[str, list]]:
    """Accepted proposals of the participatory process, by the section they
    would change: what the drafter of a new version should consider."""
    labels = dict(SectionKind.choices)
    grouped: dict[str, list] = {}
    for proposal in participation_selectors.accepted_proposals_for_pact():
        grouped.setdefault(proposal.pact_section, []).append(proposal)
    return [
        (str(labels.get(kind, kind)), grouped[kind])
        for kind in SectionKind.values
        if kind in grouped
    ]


def _may_take_steps(user) -> bool:
    return rules.has_perm("pacts.manage_versions", user) or rules.has_perm(
        "pacts.approve_version", user
    )


@login_required
@mfa_required_for_roles
@require_POST
def version_transition(request, number):
    if not _may_take_steps(request.user):
        raise PermissionDenied
    version = _get_version(request, number)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            services.version_transition(
                version=version,
                to=form.cleaned_data["to"],
                actor=request.user,
                consultation_until=form.cleaned_data["consultation_until"],
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(
                request,
                _("Version %(number)s is now: %(status)s.")
                % {"number": version.number, "status": version.get_status_display()},
            )
    else:
        messages.error(request, _("This step does not exist."))
    target = form.cleaned_data.get("next") if form.is_valid() else ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return redirect(target)
    if rules.has_perm("pacts.manage_versions", request.user):
        return redirect("pacts:manage_versions")
    return redirect(reverse("pacts:version", kwargs={"number": version.number}))
