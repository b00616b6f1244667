<?xml version="1.0" encoding="UTF-8"?>
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:template match="/">
    <html><body>
      <p>By <xsl:value-of select="rss/channel/managingEditor"/>
      {EMDASH} <strong>Published:</strong></p>
    </body></html>
  </xsl:template>
</xsl:stylesheet>
