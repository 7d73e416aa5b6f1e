from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # The seed's wording; the login and reset links sit beside the field in the template.
        "email_taken": "This email already exists. Please log in, or reset your password if you have forgotten it.",
    }

    def send_mail(self, template_prefix, email, context):
        """Account emails go through the outbox (sent by Celery after commit), so a slow or down mail server never
        fails a request and nothing is lost while it is down."""
        from allauth.core import context as allauth_context
        from django.contrib.sites.shortcuts import get_current_site

        from core.outbox import email_queue

        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        message = self.render_mail(template_prefix, email, ctx)
        html = next((body for body, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), None)
        email_queue(subject=message.subject, to=list(message.to), text=message.body, html=html or "")
