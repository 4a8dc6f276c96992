using System.Globalization;
using System.IO.Compression;
using System.Xml;

namespace Linli.Bench;

/// <summary>
/// Rewrites a workbook written by MiniExcel (text inline in every cell, empty cells written out, no dimension) the
/// way Excel and WPS save one, which is what offices upload: text cells as indexes into the shared-strings table
/// (xl/sharedStrings.xml, one entry per distinct text), no empty cells, and a dimension (A1:P100001). The sheet is
/// streamed from one zip into another; only the distinct texts are held (for 100,000 residents about 300,000: ID
/// numbers, names, phones).
/// </summary>
public static class SharedStrings
{
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    public static (int Distinct, long Cells) Rewrite(string path, string lastColumn, int lastRow)
    {
        var temp = path + ".sst";
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var texts = new List<string>();
        long cells = 0;
        using (var source = ZipFile.OpenRead(path))
        using (var target = ZipFile.Open(temp, ZipArchiveMode.Create))
        {
            foreach (var entry in source.Entries)
            {
                if (entry.FullName == "xl/sharedStrings.xml") continue;
                using var input = entry.Open();
                using var output = target.CreateEntry(entry.FullName, CompressionLevel.Optimal).Open();
                if (entry.FullName == "xl/worksheets/sheet1.xml") cells = RewriteSheet(input, output, $"A1:{lastColumn}{lastRow}", index, texts);
                else input.CopyTo(output);
            }
            using var sst = XmlWriter.Create(target.CreateEntry("xl/sharedStrings.xml", CompressionLevel.Optimal).Open(), new XmlWriterSettings { Encoding = new System.Text.UTF8Encoding(false) });
            sst.WriteStartDocument(true);
            sst.WriteStartElement("sst", Main);
            sst.WriteAttributeString("count", cells.ToString(CultureInfo.InvariantCulture));
            sst.WriteAttributeString("uniqueCount", texts.Count.ToString(CultureInfo.InvariantCulture));
            foreach (var text in texts)
            {
                sst.WriteStartElement("si", Main);
                sst.WriteStartElement("t", Main);
                if (text.Length > 0 && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]))) sst.WriteAttributeString("xml", "space", null, "preserve");
                sst.WriteString(text);
                sst.WriteEndElement();
                sst.WriteEndElement();
            }
            sst.WriteEndElement();
        }
        File.Move(temp, path, overwrite: true);
        return (texts.Count, cells);
    }

    /// <summary>Copies the sheet node by node; each cell (c) is read whole and written as Excel would, or left out when empty.</summary>
    private static long RewriteSheet(Stream input, Stream output, string dimension, Dictionary<string, int> index, List<string> texts)
    {
        long shared = 0;
        using var reader = XmlReader.Create(input, new XmlReaderSettings { IgnoreWhitespace = false });
        using var writer = XmlWriter.Create(output, new XmlWriterSettings { Encoding = new System.Text.UTF8Encoding(false) });
        var root = true;
        reader.MoveToContent();
        while (!reader.EOF)
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element when reader.LocalName == "c" && reader.NamespaceURI == Main:
                    {
                        var (prefix, r, s, t) = (reader.Prefix, reader.GetAttribute("r"), reader.GetAttribute("s"), reader.GetAttribute("t"));
                        string? value = null;
                        if (!reader.IsEmptyElement)
                        {
                            using var cell = reader.ReadSubtree();
                            while (cell.Read())
                                if (cell.NodeType == XmlNodeType.Element && cell.LocalName == "v") value = cell.ReadElementContentAsString();
                        }
                        reader.Read(); // past the cell
                        if (string.IsNullOrEmpty(value)) continue;
                        writer.WriteStartElement(prefix, "c", Main);
                        writer.WriteAttributeString("r", r);
                        if (s is not null) writer.WriteAttributeString("s", s);
                        if (t == "str")
                        {
                            if (!index.TryGetValue(value, out var i))
                            {
                                index[value] = i = texts.Count;
                                texts.Add(value);
                            }
                            writer.WriteAttributeString("t", "s");
                            value = i.ToString(CultureInfo.InvariantCulture);
                            shared++;
                        }
                        else if (t is not null) writer.WriteAttributeString("t", t);
                        writer.WriteElementString(prefix, "v", Main, value);
                        writer.WriteEndElement();
                        continue;
                    }
                case XmlNodeType.Element:
                    writer.WriteStartElement(reader.Prefix, reader.LocalName, reader.NamespaceURI);
                    writer.WriteAttributes(reader, defattr: false);
                    if (reader.IsEmptyElement) writer.WriteEndElement();
                    else if (root)
                    {
                        // The first child of the worksheet (before sheetViews), as Excel writes it.
                        writer.WriteStartElement(reader.Prefix, "dimension", Main);
                        writer.WriteAttributeString("ref", dimension);
                        writer.WriteEndElement();
                    }
                    root = false;
                    break;
                case XmlNodeType.EndElement:
                    writer.WriteFullEndElement();
                    break;
                case XmlNodeType.Text:
                case XmlNodeType.SignificantWhitespace:
                case XmlNodeType.Whitespace:
                    writer.WriteString(reader.Value);
                    break;
            }
            reader.Read();
        }
        return shared;
    }
}
