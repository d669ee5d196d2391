"""Who is on duty now (the queue) and the uncovered hours of the coming week (the workload page)."""

from django import template
from django.utils import timezone

from ..duty import on_duty_now, uncovered_hours

register = template.Library()


@register.simple_tag
def on_duty() -> list:
    return on_duty_now(at=timezone.now())


@register.simple_tag
def uncovered_week() -> list:
    return [row for row in uncovered_hours(start=timezone.now()) if row.ranges]
