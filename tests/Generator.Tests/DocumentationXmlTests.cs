using System.Collections.Generic;
using System.Linq;
using Pipelines.Generator.Helpers;
using Xunit;

namespace Pipelines.Generator.Tests;

/// <summary>
/// The one-pass doc-comment reader must give exactly what the XLinq reference gives (the generated docs are
/// byte-identical either way), and must hand anything it does not handle to the reference rather than guess.
/// </summary>
public class DocumentationXmlTests
{
    public static TheoryData<string> Fragments => new()
    {
        "<summary>Adds two numbers.</summary>",
        "\n <summary>\n Adds\n   two numbers.\n </summary>\n <param name=\"a\">The first.</param>\n <param name=\"b\">The\n second.</param>\n <returns>The sum.</returns>\n",
        "<summary>See <see cref=\"T:System.Math\"/> and <see cref='M:A.B(System.Int32)' />.</summary><remarks>Uses <c>a &lt; b</c> &amp; <c>b &gt; c</c>.</remarks>",
        "<summary>x</summary><remarks>\n  <para>One.</para>\n  <para/>\n  <list type=\"bullet\"><item><description>a</description></item></list>\n</remarks>",
        "<summary>Entities: &quot;q&quot; &apos;a&apos; &#65; &#x42; &#x1F600; tab\there > end</summary>",
        "<example><code><![CDATA[if (a < b && c > d) { }]]></code></example><exception cref=\"T:System.IO.IOException\">When &quot;it&quot; fails.</exception>",
        "<summary>a<!-- a comment\nover lines --> b</summary><remarks><!--only--></remarks>",
        "<summary>Attributes <see  cref = \"T:X\"   langword=\"null\" /> and <a href=\"x?a=1&amp;b=&lt;2&gt;\">link</a> <b x=\"one\ntwo\tthree\">w</b></summary>",
        "<summary>Empty</summary><remarks></remarks><seealso cref=\"T:Y\"></seealso><note/>",
        "<summary>Unicode: é, 中文, \U0001F600</summary><param name=\"é\">accent</param>",
        "<param>no name</param><param name=\"a\">first</param><param name=\"a\">second wins</param>",
        "<summary>text\r\nwith\rCR line ends</summary><remarks>one\r\ntwo</remarks>",
        "stray text <summary>s</summary> more stray text",
        "<summary>char ref in attribute</summary><x a=\"line&#10;break&#9;tab\"/>",
        string.Empty,

        // Malformed or unusual: the reader must defer, and both end the same.
        "<summary>unclosed",
        "<summary>mismatched</remarks>",
        "<summary>bad &entity; here</summary>",
        "<summary>a ]]> b</summary>",
        "<x:summary xmlns:x=\"u\">ns</x:summary>",
        "<summary xmlns=\"u\">ns</summary>",
        "<?pi data?><summary>pi</summary>",
        "<summary a=\"1\" a=\"2\">dup</summary>",
        "<summary a=\"<\">lt in attribute</summary>",
        "<summary>text &#13; carriage</summary>",
        "<summary>&#0; bad char ref</summary>",
        "<summary>\u0001 control</summary>",
        "<1bad>name</1bad>",
        "<summary b=\"1\"c=\"2\">no space</summary>",
    };

    [Theory]
    [MemberData(nameof(Fragments))]
    public void TheReaderAgreesWithTheXLinqReferenceOnFragments(string fragment)
    {
        DocumentationParts expected = DocumentationComments.ReadWithXLinq(fragment, wrapped: false)!;
        DocumentationParts? fast = DocumentationXml.TryRead(fragment, wrapped: false);
        AssertSame(expected, fast ?? DocumentationComments.ReadWithXLinq(fragment, wrapped: false)!);
    }

    [Theory]
    [MemberData(nameof(Fragments))]
    public void TheReaderAgreesWithTheXLinqReferenceOnMemberElements(string fragment)
    {
        string member = "<member name=\"M:Demo.Jobs.Add(System.Int32)\">" + fragment + "</member>";
        DocumentationParts? expected = DocumentationComments.ReadWithXLinq(member, wrapped: true);
        DocumentationParts? fast = DocumentationXml.TryRead(member, wrapped: true);
        if (fast is not null)
        {
            Assert.NotNull(expected);
            AssertSame(expected!, fast);
        }
    }

    [Fact]
    public void TheReaderHandlesTheShapesDocCommentsHaveWithoutTheReference()
    {
        foreach (string fragment in Fragments.Select(row => row.Data).Take(15))
        {
            Assert.NotNull(DocumentationXml.TryRead(fragment, wrapped: false));
            Assert.NotNull(DocumentationXml.TryRead("<member name=\"M:X\">" + fragment + "</member>", wrapped: true));
        }
    }

    [Fact]
    public void TheReaderDefersOnWhatItDoesNotHandle()
    {
        Assert.Null(DocumentationXml.TryRead("<summary xmlns=\"u\">ns</summary>", wrapped: false));
        Assert.Null(DocumentationXml.TryRead("<summary>unclosed", wrapped: false));
        Assert.Null(DocumentationXml.TryRead("<member name=\"M:X\"><summary>s</summary>", wrapped: true));
        Assert.Null(DocumentationXml.TryRead("<member name=\"M:X\"><summary>s</summary></member> trailing", wrapped: true));
    }

    [Fact]
    public void SplitsSummaryParametersAndTheRest()
    {
        DocumentationParts parts = DocumentationXml.TryRead(
            "<member name=\"M:X\">\n<summary>\n  Adds <see cref=\"T:System.Math\"/>.\n</summary>\n<param name=\"a\">First.</param>\n<returns>R</returns>\n<remarks>Note.</remarks>\n</member>",
            wrapped: true)!;
        Assert.Equal("Adds <see cref=\"T:System.Math\" />.", parts.Summary);
        Assert.Equal("First.", parts.Parameters["a"]);
        Assert.Equal("<remarks>Note.</remarks>", parts.Other);
    }

    private static void AssertSame(DocumentationParts expected, DocumentationParts actual)
    {
        Assert.Equal(expected.Summary, actual.Summary);
        Assert.Equal(expected.Other, actual.Other);
        Assert.Equal(
            expected.Parameters.OrderBy(p => p.Key, System.StringComparer.Ordinal).ToList(),
            actual.Parameters.OrderBy(p => p.Key, System.StringComparer.Ordinal).ToList());
    }
}
