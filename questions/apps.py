from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class QuestionsConfig(AppConfig):
    name = "questions"
    verbose_name = "Question bank"

    def ready(self) -> None:
        from .cache import bump_bank_version
        from .models import Choice, KeyPoint, Question, Source, Tag
        from .search import connect_index

        # Every edit of the bank retires the cached pages (questions/cache.py).
        for model in (Tag, Source, Question, Choice, KeyPoint):
            post_save.connect(bump_bank_version, sender=model, dispatch_uid=f"bank-save-{model.__name__}")
            post_delete.connect(bump_bank_version, sender=model, dispatch_uid=f"bank-delete-{model.__name__}")
        for through in (Question.tags.through, Question.sources.through):
            m2m_changed.connect(bump_bank_version, sender=through, dispatch_uid=f"bank-m2m-{through.__name__}")
        connect_index()
