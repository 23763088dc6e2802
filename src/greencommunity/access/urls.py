from django.urls import path

from .views import admin, auth

app_name = "access"
urlpatterns = [
    # Signing in and out, own password, own API tokens (views/auth.py)
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("password/change/", auth.password_change_view, name="password_change"),
    path("tokens/", auth.token_list_view, name="token_list"),
    # Account administration (views/admin.py)
    path("users/", admin.user_list_view, name="user_list"),
    path("users/new/", admin.user_create_view, name="user_create"),
    path("users/import/", admin.user_import_view, name="user_import"),
    path(
        "users/import/template.xlsx", admin.user_import_template_view, name="user_import_template"
    ),
    path("users/<int:pk>/", admin.user_detail_view, name="user_detail"),
    path(
        "users/<int:pk>/reset-password/", admin.user_reset_password_view, name="user_reset_password"
    ),
    path("users/<int:pk>/active/", admin.user_set_active_view, name="user_set_active"),
    path("users/<int:pk>/roles/", admin.role_grant_view, name="role_grant"),
    path(
        "users/<int:pk>/roles/<int:assignment_pk>/revoke/",
        admin.role_revoke_view,
        name="role_revoke",
    ),
]
