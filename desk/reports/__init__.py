"""The documents desk produces: briefing packet and survey workbook. Never imports Qt."""
