from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "greencommunity.campaigns"
    label = "campaigns"
