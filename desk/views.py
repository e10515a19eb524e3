from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils import timezone
from django.views.generic import TemplateView

from desk.selectors import desk_for


class HomeView(LoginRequiredMixin, TemplateView):
    """ "Việc của tôi": what the person has to do today, across every active campaign and every
    role they hold."""

    template_name = "desk/home.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return {
            **super().get_context_data(**kwargs),
            "desk": desk_for(self.request.user, today),
            "today": today,
        }
