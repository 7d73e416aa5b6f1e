from allauth.account.adapter import DefaultAccountAdapter
from django.db import transaction


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # The seed's wording; the login and reset links sit beside the field in the template.
        "email_taken": "This email already exists. Please log in, or reset your password if you have forgotten it.",
    }

    def send_mail(self, template_prefix, email, context):
        """Account emails go through Celery after commit, so a slow or down mail server never fails a request."""
        from allauth.core import context as allauth_context
        from django.contrib.sites.shortcuts import get_current_site

        from core.tasks import send_email

        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        message = self.render_mail(template_prefix, email, ctx)
        html = next((body for body, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), None)
        kwargs = {"subject": message.subject, "to": list(message.to), "text": message.body, "html": html}
        transaction.on_commit(lambda: send_email.delay(**kwargs))
