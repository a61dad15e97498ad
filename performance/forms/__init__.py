"""Every form of performance management, by topic: input parsed into typed values for the
services. `from performance.forms import X` for any of them."""

from .common import (
    BootstrapMixin,
    ReturnForm,
)
from .corrections import (
    CorrectionForm,
    HistoryFilterForm,
    PenilaiCorrectionForm,
    RatingCorrectionForm,
)
from .evaluation import (
    AnnualOnBehalfForm,
    AnnualRatingForm,
    CapaianForm,
    DecisionForm,
    FinaliseForm,
    KeberatanForm,
)
from .planning import (
    BulkApproveForm,
    CycleForm,
    ExpectationForm,
    IndicatorForm,
    PeriodForm,
    ReassignPenilaiForm,
    RhkForm,
    SkpCreateForm,
    SkpDetailsForm,
)
from .reports import (
    EvidenceForm,
    FeedbackForm,
    RatingForm,
    RealisasiField,
    RealisasiNumberField,
    ReportForm,
    parse_decimal,
    parse_realisasi,
)

__all__ = [
    "AnnualOnBehalfForm",
    "AnnualRatingForm",
    "BootstrapMixin",
    "BulkApproveForm",
    "CapaianForm",
    "CorrectionForm",
    "CycleForm",
    "DecisionForm",
    "EvidenceForm",
    "ExpectationForm",
    "FeedbackForm",
    "FinaliseForm",
    "HistoryFilterForm",
    "IndicatorForm",
    "KeberatanForm",
    "PenilaiCorrectionForm",
    "PeriodForm",
    "RatingCorrectionForm",
    "RatingForm",
    "RealisasiField",
    "RealisasiNumberField",
    "ReassignPenilaiForm",
    "ReportForm",
    "ReturnForm",
    "RhkForm",
    "SkpCreateForm",
    "SkpDetailsForm",
    "parse_decimal",
    "parse_realisasi",
]
