using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Pipelines.Dashboard;

/// <summary>
/// The page's files, embedded in this assembly (<c>wwwroot/*</c>): read once, served with a strong ETag. Nothing is
/// loaded from anywhere else — the page works on a machine with no internet.
/// </summary>
internal static class DashboardAssets
{
    private static readonly Dictionary<string, Asset> s_assets = Load();

    /// <summary>One file: its bytes, its content type and its ETag.</summary>
    internal sealed record Asset(byte[] Content, string ContentType, string ETag);

    /// <summary>The file named <paramref name="name"/> (e.g. <c>dashboard.js</c>), or null.</summary>
    public static Asset? Find(string name) => s_assets.GetValueOrDefault(name);

    /// <summary>The page itself, with its title filled in.</summary>
    public static Asset Page(string title)
    {
        Asset template = s_assets["index.html"];
        byte[] content = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(template.Content).Replace("{{title}}", WebUtility.HtmlEncode(title), StringComparison.Ordinal));
        return template with { Content = content, ETag = ETagOf(content) };
    }

    private static Dictionary<string, Asset> Load()
    {
        const string prefix = "Pipelines.Dashboard.wwwroot.";
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (string resource in typeof(DashboardAssets).Assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            using Stream stream = typeof(DashboardAssets).Assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            byte[] content = buffer.ToArray();
            string name = resource[prefix.Length..];
            assets[name] = new Asset(content, ContentTypeOf(name), ETagOf(content));
        }

        return assets;
    }

    private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };

    private static string ETagOf(byte[] content) => "\"" + Convert.ToHexString(SHA256.HashData(content), 0, 12) + "\"";
}
