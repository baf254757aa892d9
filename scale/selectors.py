from .models import ScaleVersion


def scale_current():
    """The version new sessions are rated with, domains and labels prefetched."""
    return (
        ScaleVersion.objects.filter(is_current=True)
        .prefetch_related("domains", "labels", "steps__prompts")
        .get()
    )


def scale_get(version_id):
    """A version with everything a session screen shows of it, in few queries."""
    return ScaleVersion.objects.prefetch_related("domains", "labels", "steps__prompts").get(
        pk=version_id
    )
