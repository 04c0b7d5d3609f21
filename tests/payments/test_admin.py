"""The back office: the employer list masks the account, the change form shows it and logs the read; payment
files, lines and events are read-only there (every write goes through the services) and region-scoped."""

from django.contrib.auth.models import Permission

from apps.core.models import AccessLog
from apps.payments import services
from tests.factories import EmployerFactory


def _with(user, *codenames):
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def test_employer_admin_masks_in_the_list_and_logs_the_change_form(db, supervisor, client_for):
    employer = EmployerFactory(bank_name="中国银行", bank_account="420002110900000001")
    client = client_for(_with(supervisor, "view_employer", "change_employer"))
    listing = client.get("/admin/employers/employer/").content.decode()
    assert "4200**********0001" in listing and "420002110900000001" not in listing
    form = client.get(f"/admin/employers/employer/{employer.pk}/change/").content.decode()
    assert "420002110900000001" in form
    assert AccessLog.objects.filter(object_id=str(employer.pk), purpose="后台查看银行账号", user=supervisor).count() == 1


def test_payment_admin_is_read_only_and_masks_accounts(approved_run, caseworker, supervisor, client_for):
    batch = services.batch_prepare(user=caseworker, source_key="refunds.run", source_id=approved_run.pk)
    client = client_for(_with(supervisor, "view_paymentbatch", "view_paymentline", "add_paymentbatch",
                              "change_paymentbatch"))
    assert client.get("/admin/payments/paymentbatch/").status_code == 200
    assert client.get("/admin/payments/paymentbatch/add/").status_code == 403
    change = client.get(f"/admin/payments/paymentbatch/{batch.pk}/change/")
    assert change.status_code == 200 and 'name="status"' not in change.content.decode()  # no editable field
    lines = client.get("/admin/payments/paymentline/").content.decode()
    assert "4200" in lines and "42000211090" not in lines


def test_payment_admin_is_scoped(approved_run, caseworker, client_for):
    from apps.accounts.models import User
    from tests.factories import UserFactory

    batch = services.batch_prepare(user=caseworker, source_key="refunds.run", source_id=approved_run.pk)
    elsewhere = UserFactory(username="sup_jilin_admin", role=User.Role.SUPERVISOR, region_id="220200", is_staff=True)
    response = client_for(_with(elsewhere, "view_paymentbatch")).get(f"/admin/payments/paymentbatch/{batch.pk}/change/")
    assert response.status_code in (302, 404)
