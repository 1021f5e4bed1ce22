"""Rapporter: one place to find every generated document the user may produce."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from trygg.reports import selectors


@login_required
def index(request):
    return render(request, "reports/index.html", {"groups": selectors.documents_for(request.user)})
