from django.contrib import admin

from .models import Choice, KeyPoint, Question, Source, Tag

admin.site.register(Tag)
admin.site.register(Source)
admin.site.register(Question)
admin.site.register(Choice)
admin.site.register(KeyPoint)
