"""Every URL of the app, plus bare reference views under /_bench/."""

from django.urls import include, path

from . import reference

urlpatterns = [
    path("_bench/hello", reference.hello, name="bench_hello"),
    path("_bench/write", reference.write, name="bench_write"),
    path("_bench/page", reference.page, name="bench_page"),
    path("", include("dialogplus.urls")),
]
