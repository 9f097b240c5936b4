"""The wording of a unit's Kế hoạch triển khai (templates/ke-hoach-don-vi.docx), kept apart from
the builder so that the office's text and the layout code can be read on their own."""

# The unit's plan: (heading, paragraphs); a paragraph is text, ("b", text) for a bold sub-heading,
# ("loop", seq) for one paragraph per line of a list, ("if", test, text) for a conditional one,
# or ("targets",) for the unit's targets table.
PLAN = [
    ("I. MỤC ĐÍCH, YÊU CẦU", [
        ("b", "1. Mục đích"),
        "- Tuyên truyền sâu rộng đến {{ words.people }} ý nghĩa quan trọng của cuộc Tổng tuyển"
        " cử đầu tiên bầu Quốc hội Việt Nam; sự hình thành, phát triển, vai trò, vị trí và những"
        " đóng góp to lớn của Quốc hội Việt Nam cho công cuộc xây dựng, bảo vệ Tổ quốc.",
        "- Khơi dậy niềm tự hào, cổ vũ, động viên {{ words.people }} nỗ lực thi đua, lập thành"
        " tích xuất sắc trong lao động, học tập và công tác, hoàn thành tốt nhiệm vụ được giao.",
        ("b", "2. Yêu cầu"),
        "- Phong trào thi đua được triển khai thường xuyên, thiết thực, đến {{ words.members }},"
        " gắn với trách nhiệm người đứng đầu trong chỉ đạo, điều hành và tổ chức thực hiện.",
        "- Kịp thời phát hiện, biểu dương, khen thưởng các tập thể, cá nhân tiêu biểu; nhân rộng"
        " điển hình tiên tiến, bảo đảm thực chất, công khai, minh bạch, khách quan."]),
    ("II. NỘI DUNG VÀ CHỈ TIÊU THI ĐUA", [
        "1. Cụ thể hóa nội dung phong trào thi đua phù hợp với chức năng, nhiệm vụ, quyền hạn"
        " của {{ unit.name }}; tổ chức các hoạt động hướng tới Kỷ niệm 80 năm Ngày Tổng tuyển cử"
        " đầu tiên bầu Quốc hội Việt Nam.",
        "2. Đẩy mạnh công tác thông tin, tuyên truyền; phát huy sáng kiến, giải pháp, mô hình"
        " tiên tiến, điển hình.",
        "3. Các chỉ tiêu thi đua đăng ký thực hiện:",
        ("targets",)]),
    ("III. THỜI GIAN THI ĐUA", [
        "Phong trào thi đua được thực hiện từ ngày {{ campaign.start }} đến ngày"
        " {{ campaign.end }}."]),
    ("IV. ĐỐI TƯỢNG, HÌNH THỨC KHEN THƯỞNG VÀ TIÊU CHÍ THI ĐUA", [
        ("b", "1. Đối tượng khen thưởng"),
        "Tập thể, cá nhân thuộc {{ unit.name }} ({{ words.people }}) có thành tích xuất sắc"
        " trong {{ campaign.name }}.",
        ("b", "2. Hình thức khen thưởng"),
        ("loop2", "awards", "part"),
        ("b", "3. Tiêu chí thi đua"),
        "a) Đối với tập thể:",
        "- Triển khai thực hiện {{ campaign.name }} với nội dung, tiêu chí cụ thể, gắn với chức"
        " năng, nhiệm vụ của {{ unit.name }};",
        "- Thực hiện tốt công tác tuyên truyền “Kỷ niệm 80 năm Ngày Tổng tuyển cử đầu tiên bầu"
        " Quốc hội Việt Nam” (06/01/1946 - 06/01/2026);",
        "- Hoàn thành và hoàn thành vượt mức các chỉ tiêu thi đua đăng ký tại mục II.3 của Kế"
        " hoạch này;",
        "- Phối hợp chặt chẽ, hiệu quả với Đoàn đại biểu Quốc hội, Hội đồng nhân dân trong thực"
        " hiện nhiệm vụ (tiếp xúc cử tri, tiếp công dân, giám sát, góp ý dự án luật);",
        ("if", "unit.kind == 'doan_the'",
         "- Nâng cao chất lượng công tác phản biện xã hội đối với quy trình lập pháp, phối hợp"
         " tốt với các cơ quan của Quốc hội, Đoàn đại biểu Quốc hội, Hội đồng nhân dân;"),
        "- Có sáng kiến, giải pháp gắn với tổ chức và hoạt động của cơ quan, đơn vị được cấp có"
        " thẩm quyền công nhận.",
        "b) Đối với cá nhân:",
        "- Có thành tích được bình xét trong phong trào thi đua;",
        "- Đổi mới tư duy, phương thức làm việc, khắc phục khó khăn, năng động, sáng tạo, dám"
        " nghĩ, dám làm, dám chịu trách nhiệm, hoàn thành tốt các mục tiêu, nhiệm vụ được giao;",
        "- Có sáng kiến, giải pháp gắn với tổ chức và hoạt động của cơ quan, đơn vị được cấp có"
        " thẩm quyền công nhận.",
        ("if", "conditions", "c) Điều kiện đề nghị khen thưởng cấp trên:"),
        ("loop", "conditions")]),
    ("V. TỔ CHỨC THỰC HIỆN", [
        "1. {{ reporting }}{% if deadlines %}, đúng thời hạn sau:{% else %}, theo thời hạn Ủy"
        " ban nhân dân tỉnh thông báo.{% endif %}",
        ("loop", "deadlines"),
        "2. {{ words.Members }} căn cứ Kế hoạch này xây dựng kế hoạch cụ thể, tổ chức triển khai"
        " thực hiện; phát hiện, bồi dưỡng, nhân rộng điển hình tiên tiến; báo cáo kết quả về"
        " {{ words.standing }} theo định kỳ.",
        "3. Bộ phận được giao chủ trì từng chỉ tiêu chịu trách nhiệm theo dõi, đôn đốc, tổng hợp"
        " kết quả; kịp thời đề xuất khen thưởng các tập thể, cá nhân tiêu biểu.",
        ("if", "contact", "{{ contact }}"),
        "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, {{ words.members }} phản ánh về"
        " {{ unit.name }} (qua {{ words.standing }}) để xem xét, giải quyết./."]),
]
