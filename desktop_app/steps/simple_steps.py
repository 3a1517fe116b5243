"""Steps 1, 2 and 4: the patient, the presentation and its dates, and the biomarkers."""

from __future__ import annotations

from desktop_app.qt import QT_TRANSLATE_NOOP, QWidget
from desktop_app.steps.base import StepPage
from desktop_app.widgets.fields import (
    ChoiceCombo,
    DateField,
    NumberField,
    TextField,
    TriCombo,
    not_given_label,
)


class PatientPage(StepPage):
    KEY = "patient"
    TITLE = QT_TRANSLATE_NOOP("PatientPage", "1 · Patient")     # the step list names it before the page is built

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        f = self.field
        self.section(lambda: self.tr("Identity"), [
            f("patient.name", TextField(), lambda: self.tr("Name")),
            f("patient.hospital_id", TextField(), lambda: self.tr("Hospital ID")),
        ], columns=3)
        self.section(lambda: self.tr("Patient"), [
            f("patient.sex", ChoiceCombo("sex", not_given_label), lambda: self.tr("Sex"), required=True),
            f("patient.age", NumberField(), lambda: self.tr("Age (years)"),
              hint=lambda: self.tr("18-110 years")),
            f("patient.menopausal_status", ChoiceCombo("menopausal_status", not_given_label),
              lambda: self.tr("Menopausal status"), hint=lambda: self.tr("Peri-menopausal counts as premenopausal")),
            f("patient.chemo_induced_amenorrhea", TriCombo(), lambda: self.tr("Chemotherapy-induced amenorrhoea")),
            f("patient.menopause_confirmed", TriCombo(), lambda: self.tr("Postmenopausal status confirmed"),
              hint=lambda: self.tr("e.g. by repeated FSH/oestradiol after chemotherapy-induced amenorrhoea")),
        ])
        self.section(lambda: self.tr("Performance status (give KPS or ECOG)"), [
            f("patient.kps", ChoiceCombo("kps", not_given_label), lambda: self.tr("KPS")),
            f("patient.ecog", ChoiceCombo("ecog", not_given_label), lambda: self.tr("ECOG")),
        ])
        self.section(lambda: self.tr("Pregnancy and preferences"), [
            f("patient.pregnant", TriCombo(), lambda: self.tr("Pregnant")),
            f("patient.pregnancy_trimester", ChoiceCombo("trimester", not_given_label), lambda: self.tr("Trimester")),
            QWidget(),
            f("patient.refuses_ovarian_suppression", TriCombo(), lambda: self.tr("Refuses ovarian suppression")),
            f("patient.refuses_chemotherapy", TriCombo(), lambda: self.tr("Refuses chemotherapy")),
        ])
        self.finish()

    def title_text(self) -> str:
        return self.tr("1 · Patient")

    def subtitle_text(self) -> str:
        return self.tr("Who is the patient, how fit is she, and what does she refuse?")


class PresentationPage(StepPage):
    KEY = "presentation"
    TITLE = QT_TRANSLATE_NOOP("PresentationPage", "2 · Presentation and dates")     # the step list names it before the page is built

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        f = self.field
        self.section(lambda: self.tr("Case"), [
            f("case_id", TextField(), lambda: self.tr("Case ID"), required=True,
              hint=lambda: self.tr("Letters, digits, '.', '_' and '-'")),
            f("evaluation_date", DateField(), lambda: self.tr("Board review date"),
              hint=lambda: self.tr("All intervals are counted to this date (today when empty)")),
        ])
        self.section(lambda: self.tr("Presentation"), [
            f("presentation", ChoiceCombo("presentation", not_given_label), lambda: self.tr("Presentation"),
              required=True),
            f("inflammatory", TriCombo(), lambda: self.tr("Inflammatory breast cancer")),
        ], columns=3, spans={0: 2})
        self.section(lambda: self.tr("Dates"), [
            f("primary_diagnosis_date", DateField(), lambda: self.tr("Primary diagnosis")),
            f("metastatic_diagnosis_date", DateField(), lambda: self.tr("Metastatic / unresectable diagnosis"),
              hint=lambda: self.tr("First distant or unresectable disease; empty if none")),
        ])
        self.finish()

    def title_text(self) -> str:
        return self.tr("2 · Presentation and dates")

    def subtitle_text(self) -> str:
        return self.tr("How did the advanced disease present, and when?")


BIOMARKERS = ("gbrca", "pik3ca", "esr1", "akt1", "pten", "msi_high")


class BiomarkersPage(StepPage):
    KEY = "biomarkers"
    TITLE = QT_TRANSLATE_NOOP("BiomarkersPage", "4 · Biomarkers")     # the step list names it before the page is built

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        f = self.field
        names = {
            "gbrca": lambda: self.tr("Germline BRCA1/2 (gBRCA)"),
            "pik3ca": lambda: self.tr("PIK3CA mutation"),
            "esr1": lambda: self.tr("ESR1 mutation"),
            "akt1": lambda: self.tr("AKT1 mutation"),
            "pten": lambda: self.tr("PTEN loss-of-function"),
            "msi_high": lambda: self.tr("MSI-H"),
        }
        self.section(lambda: self.tr("Genomic tests"), [
            f(f"biomarkers.{name}", ChoiceCombo("biomarker", None, default="not_tested"), names[name])
            for name in BIOMARKERS
        ])
        self.section(lambda: self.tr("PD-L1"), [
            f("biomarkers.pdl1_cps", NumberField(), lambda: self.tr("PD-L1 CPS"),
              hint=lambda: self.tr("CPS ≥ 10 counts as PD-L1-positive; empty when not tested")),
            f("biomarkers.pdl1_assay", TextField("22C3"), lambda: self.tr("Assay")),
        ])
        self.finish()

    def title_text(self) -> str:
        return self.tr("4 · Biomarkers")

    def subtitle_text(self) -> str:
        return self.tr("Which targets were tested? An untested marker never hides an option: it is shown with a prompt to test.")
