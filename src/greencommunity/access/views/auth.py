"""Signing in and out, changing one's own password, and one's own API tokens.

Thin adapters: the rules live in `access.services.users`.
"""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import password_validators_help_texts
from django.contrib.auth.views import LoginView, LogoutView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from greencommunity.core.errors import ApplicationError

from ..forms import LoginForm, PasswordChangeForm, TokenCreateForm
from ..models import ApiToken, User
from ..services.users import token_create, token_revoke, user_change_password


class AuthenticatedHttpRequest(HttpRequest):
    """A request behind `login_required` (for the type checker)."""

    user: User


class PlatformLoginView(LoginView):
    template_name = "access/pages/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PlatformLogoutView(LogoutView):
    """POST only (Django's LogoutView); says goodbye on the login page."""

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have logged out."))
        return response


login_view = PlatformLoginView.as_view()
logout_view = PlatformLogoutView.as_view()


@sensitive_post_parameters()
@login_required
def password_change_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Choose one's own password; required while `must_change_password` is set."""
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user_change_password(
                actor=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except ApplicationError as exc:
            form.add_error(form.ERROR_FIELDS.get(exc.extra.get("field", "")), exc.message)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password has been changed."))
            return redirect("core:home")
    return render(
        request,
        "access/pages/password_change.html",
        {
            "form": form,
            "rules": password_validators_help_texts(),
            "forced": request.user.must_change_password,
        },
    )


@login_required
def token_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's own API tokens: list, create (the key is shown once), revoke."""
    form = TokenCreateForm()
    new_key = ""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            form = TokenCreateForm(request.POST)
            if form.is_valid():
                token, new_key = token_create(actor=request.user, name=form.cleaned_data["name"])
                messages.success(
                    request, _("Token %(name)s created. Copy it now.") % {"name": token.name}
                )
                form = TokenCreateForm()
        elif action == "revoke":
            token_id = request.POST.get("token", "")
            found = ApiToken.objects.filter(pk=token_id).first() if token_id.isdigit() else None
            try:
                if found is None:
                    raise ApplicationError(_("Token not found."))
                token_revoke(actor=request.user, token=found)
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Token %(name)s revoked.") % {"name": found.name})
            return redirect("access:token_list")
    tokens = request.user.api_tokens.order_by("revoked_at", "-created_at")
    return render(
        request,
        "access/pages/tokens.html",
        {"form": form, "tokens": tokens, "new_key": new_key},
    )
