"""The catalog of document kinds docflow writes: one row each, pure data.

A row says which template a kind uses, how receipts and `status` name it, who receives it, which
forms feed it and what its Nơi nhận must start with. The context function that fills a kind's
template, and its sample for `docflow check`, are registered under the same name in
`docflow.documents`. Adding a kind is one row here, one template and one context function.
"""

from __future__ import annotations

from dataclasses import dataclass

SENDER = "sender"      # the sending unit's own outbox folder, made right after its receipt
PROVINCE = "province"  # outbox/_tong-hop/, remade from every unit's current version
SUMMARY_FOLDER = "_tong-hop"
ADMIN_FOLDER = "_quan-tri"   # what only the administrator reads
ISSUED_FOLDER = "_ban-hanh"  # inbox/_ban-hanh/: the office drops signed decisions here


@dataclass(frozen=True)
class Kind:
    """One kind of document: its template, its name for people, where it goes, what feeds it."""

    name: str                    # the key config uses: recipients.<name>, legal_bases.documents
    template: str                # a .docx in templates/
    title: str                   # how receipts and status name it
    audience: str                # SENDER or PROVINCE
    feeds: tuple[str, ...]       # forms whose acceptance changes it
    decider: str = ""            # award documents: the Award.decider whose awards it carries
    stem: str = ""               # award documents: the output file name before the award's name
    first_recipient: str = ""    # the first Nơi nhận line Nghị định 30 requires, if any
    recipients: bool = True      # config must give its Nơi nhận list


KINDS: tuple[Kind, ...] = (
    Kind("quyet_dinh_bang_khen", "quyet-dinh-bang-khen.docx", "Dự thảo Quyết định về việc tặng",
         PROVINCE, ("DN",), decider="chairman", stem="Quyết định tặng",
         first_recipient="Như Điều 3"),
    Kind("to_trinh_thu_tuong", "to-trinh-bang-khen-thu-tuong.docx",
         "Dự thảo Tờ trình đề nghị tặng", PROVINCE, ("DN",), decider="prime_minister",
         stem="Tờ trình đề nghị tặng", first_recipient="Như trên"),
    Kind("quyet_dinh_giay_khen", "quyet-dinh-giay-khen.docx", "Dự thảo Quyết định về việc tặng",
         SENDER, ("DN",), decider="unit_head", stem="Quyết định tặng",
         first_recipient="Như Điều 3"),
    Kind("ke_hoach_don_vi", "ke-hoach-don-vi.docx",
         "Kế hoạch triển khai thực hiện phong trào thi đua của đơn vị", SENDER, ("DK",)),
    Kind("bao_cao_tong_hop", "bao-cao-tong-hop.docx", "Báo cáo tổng hợp kết quả", PROVINCE,
         ("BC",), first_recipient="Như trên"),
    Kind("to_trinh_chu_tich", "to-trinh-chu-tich.docx", "Dự thảo Tờ trình của Sở Nội vụ đề nghị "
         "tặng", PROVINCE, ("DN",), stem="Tờ trình của Sở Nội vụ đề nghị tặng",
         first_recipient="Như trên"),
    Kind("cong_van_don_doc", "cong-van-don-doc.docx", "Dự thảo Công văn đôn đốc", PROVINCE, (),
         first_recipient="Như trên"),
    Kind("thong_bao_ket_qua", "thong-bao-ket-qua.docx", "Thông báo kết quả xét khen thưởng",
         SENDER, (), recipients=False),
    Kind("phieu_tiep_nhan", "phieu-tiep-nhan.docx", "Phiếu tiếp nhận", SENDER,
         ("DK", "BC", "DN"), recipients=False),
    Kind("phieu_bao_loi", "phieu-bao-loi.docx", "Phiếu báo lỗi", SENDER, ("DK", "BC", "DN"),
         recipients=False),
)

BY_NAME = {k.name: k for k in KINDS}
WITH_RECIPIENTS = tuple(k.name for k in KINDS if k.recipients)


def kind(name: str) -> Kind:
    """The catalog row of a kind; a KeyError names a kind that is not in the catalog."""
    return BY_NAME[name]


def for_decider(decider: str) -> Kind:
    """The award document kind that carries the awards of one decider."""
    return next(k for k in KINDS if k.decider == decider)
