"""Every 5 minutes: the mails the mail service refused are sent again, or given up after their last try."""

from functions.wiring import run_scheduled


def handler(event, context):
    from portal.services.mail_retry import retry_kept_mail

    return run_scheduled(retry_kept_mail, event)
