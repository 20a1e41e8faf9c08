from django.apps import AppConfig


class QuestionsConfig(AppConfig):
    name = "questions"
    verbose_name = "Question bank"

    def ready(self) -> None:
        from .cache import connect_invalidation
        from .search import connect_index

        connect_invalidation()
        connect_index()
