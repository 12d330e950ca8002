"""Register import pages: upload, map columns, dry run with its report, import."""

import csv
import io
import json
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from haven.access import policy
from haven.audit import log as audit
from haven.imports import engine, files
from haven.imports.forms import MappingForm, UploadForm
from haven.imports.models import ColumnMapping, RegisterImport


def _organisations(request):
    organisations = policy.reception_organisations(request.user)
    if not organisations.exists():
        raise Http404("Not allowed to record receptions")
    return organisations


def _register(request, import_id) -> RegisterImport:
    """An import of an organisation the user records receptions for; else 404."""
    register = (
        RegisterImport.objects.select_related("organisation")
        .filter(pk=import_id, organisation__in=_organisations(request))
        .first()
    )
    if register is None:
        raise Http404("No such import")
    return register


def _ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


@login_required
def upload(request):
    organisations = _organisations(request)
    form = UploadForm(request.POST or None, request.FILES or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        data = b"".join(uploaded.chunks())
        try:
            file_format = files.detect_format(uploaded.name, data[:8])
            headers, rows = files.read_table(data, file_format)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            organisation = form.cleaned_data["organisation"]
            register = RegisterImport.objects.create(
                organisation=organisation,
                uploaded_by=request.user,
                original_name=Path(uploaded.name).name[:200],
                file_format=file_format,
                headers=headers,
                row_count=len(rows),
                **files.store(data),
            )
            remembered = ColumnMapping.objects.filter(organisation=organisation).first()
            register.mapping = engine.guess_mapping(
                headers, remembered.columns if remembered else {}
            )
            register.default_route = remembered.default_route if remembered else ""
            register.save(update_fields=["mapping", "default_route"])
            audit.record(
                "import.upload",
                user=request.user,
                organisation=organisation,
                obj=register,
                ip_address=_ip(request),
                details={"rows": len(rows), "format": file_format, "sha256": register.sha256},
            )
            return redirect("imports:detail", import_id=register.pk)
    recent = RegisterImport.objects.filter(organisation__in=organisations).select_related(
        "organisation", "uploaded_by"
    )[:20]
    status = 400 if request.method == "POST" else 200
    return render(request, "imports/upload.html", {"form": form, "recent": recent}, status=status)


def _detail_context(register, form=None):
    report = json.loads(register.report) if register.report else []
    return {
        "register": register,
        "form": form
        or MappingForm(
            initial=MappingForm.initial_for(register.mapping, register.default_route),
            headers=register.headers,
        ),
        "report": [r for r in report if r["errors"] or r["duplicates"]],
        "can_import": register.status == RegisterImport.Status.CHECKED
        and register.error_count == 0
        and register.row_count > 0,
    }


@login_required
@require_GET
def detail(request, import_id):
    register = _register(request, import_id)
    return render(request, "imports/detail.html", _detail_context(register))


@login_required
@require_POST
def check(request, import_id):
    register = _register(request, import_id)
    if register.status in (RegisterImport.Status.IMPORTED, RegisterImport.Status.IMPORTING):
        raise Http404("Already imported")
    form = MappingForm(request.POST, headers=register.headers)
    if not form.is_valid():
        context = _detail_context(register, form)
        return render(request, "imports/detail.html", context, status=400)
    engine.remember_mapping(register, form.mapping(), form.cleaned_data["default_route"])
    engine.check(register, user=request.user)
    return redirect("imports:detail", import_id=register.pk)


@login_required
@require_POST
def run(request, import_id):
    register = _register(request, import_id)
    if register.status != RegisterImport.Status.CHECKED or register.error_count:
        messages.error(request, _("Run a check without errors before importing."))
        return redirect("imports:detail", import_id=register.pk)
    try:
        references = engine.run(register, user=request.user, ip_address=_ip(request))
    except engine.RowRefused as refused:
        messages.error(
            request,
            _("Row %(row)s was refused, so nothing was imported. Check the file again.")
            % {"row": refused.row},
        )
    else:
        messages.success(
            request, _("%(n)s receptions imported; the cases are open.") % {"n": len(references)}
        )
    return redirect("imports:detail", import_id=register.pk)


@login_required
@require_GET
def progress(request, import_id):
    register = _register(request, import_id)
    return JsonResponse(
        {
            "status": register.status,
            "done": register.progress,
            "total": register.row_count,
            "label": _("%(done)s of %(total)s rows checked")
            % {"done": register.progress, "total": register.row_count},
        }
    )


@login_required
@require_GET
def report_csv(request, import_id):
    register = _register(request, import_id)
    if not register.report:
        raise Http404("Not checked yet")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("row"), _("result"), _("field"), _("message")])
    labels = {name: str(label) for name, label in engine.FIELDS.items()}
    for entry in json.loads(register.report):
        if not entry["errors"] and not entry["duplicates"]:
            writer.writerow([entry["row"], _("ready"), "", ""])
        for field, field_messages in entry["errors"].items():
            for message in field_messages:
                writer.writerow([entry["row"], _("error"), labels.get(field, field), message])
        for message in entry["duplicates"]:
            writer.writerow([entry["row"], _("likely duplicate"), "", message])
    audit.record(
        "import.report",
        user=request.user,
        organisation=register.organisation,
        obj=register,
        ip_address=_ip(request),
    )
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{register.pk}-report.csv"'
    response["Cache-Control"] = "no-store"
    return response
