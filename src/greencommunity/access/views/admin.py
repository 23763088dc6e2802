# Stub: replaced by the account-administration work.
from django.http import Http404


def _stub(request, *args, **kwargs):
    raise Http404


user_list_view = user_create_view = user_import_view = user_import_template_view = _stub
user_detail_view = user_reset_password_view = user_set_active_view = _stub
role_grant_view = role_revoke_view = _stub
