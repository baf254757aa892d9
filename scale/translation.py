from modeltranslation.translator import TranslationOptions, register

from .models import ActionSuggestion, Domain, RatingLabel, ScaleVersion, Step, StepPrompt


@register(ScaleVersion)
class ScaleVersionTranslation(TranslationOptions):
    fields = ("help_question",)


@register(Domain)
class DomainTranslation(TranslationOptions):
    fields = ("short_name", "question")


@register(RatingLabel)
class RatingLabelTranslation(TranslationOptions):
    fields = ("text",)


@register(Step)
class StepTranslation(TranslationOptions):
    fields = ("title", "guidance")


@register(StepPrompt)
class StepPromptTranslation(TranslationOptions):
    fields = ("text",)


@register(ActionSuggestion)
class ActionSuggestionTranslation(TranslationOptions):
    fields = ("text",)
