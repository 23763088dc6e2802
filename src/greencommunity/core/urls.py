from django.http import HttpResponse
from django.urls import path

app_name = "core"


def home(request):  # stub: replaced by the web-shell work
    return HttpResponse("GreenCommunity")


urlpatterns = [path("", home, name="home")]
