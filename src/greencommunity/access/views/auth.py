# Stub: replaced by the web-shell work.
from django.http import Http404


def _stub(request, *args, **kwargs):
    raise Http404


login_view = logout_view = password_change_view = token_list_view = _stub
