from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "greencommunity.reviews"
    label = "reviews"
