using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Linli.Tests.Support;
using SkiaSharp;

namespace Linli.Tests.Features.WorkOrders;

/// <summary>Photos of an order: checked by their bytes, at most 10 MB and nine per stage, stripped of EXIF (GPS), visible only to who sees the order.</summary>
[Collection(AppCollection.Name)]
public sealed class WorkOrderPhotoTests(LinliFactory app)
{
    /// <summary>A real JPEG (a red square drawn with Skia) with an EXIF block holding a GPS position inserted after SOI.</summary>
    public static byte[] JpegWithGps(int size = 400)
    {
        using var bitmap = new SKBitmap(size, size * 3 / 4);
        using (var canvas = new SKCanvas(bitmap)) canvas.Clear(new SKColor(200, 40, 40));
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
        var jpeg = data.ToArray();
        // APP1 "Exif\0\0" + a little-endian TIFF header with one IFD entry: GPSInfo (0x8825) → a GPS IFD with latitude ref "N".
        byte[] tiff =
        [
            0x49, 0x49, 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00,             // II*, IFD0 at 8
            0x01, 0x00,                                                 // 1 entry
            0x25, 0x88, 0x04, 0x00, 0x01, 0x00, 0x00, 0x00, 0x1A, 0x00, 0x00, 0x00, // GPSInfo LONG 1 → 26
            0x00, 0x00, 0x00, 0x00,                                     // no next IFD
            0x01, 0x00,                                                 // GPS IFD: 1 entry
            0x01, 0x00, 0x02, 0x00, 0x02, 0x00, 0x00, 0x00, (byte)'N', 0x00, 0x00, 0x00, // GPSLatitudeRef ASCII "N"
            0x00, 0x00, 0x00, 0x00,
        ];
        var exif = "Exif\0\0"u8.ToArray().Concat(tiff).ToArray();
        var length = exif.Length + 2;
        byte[] app1 = [0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. exif];
        return [.. jpeg[..2], .. app1, .. jpeg[2..]];
    }

    public static byte[] Png()
    {
        using var bitmap = new SKBitmap(300, 200);
        using (var canvas = new SKCanvas(bitmap)) canvas.Clear(new SKColor(30, 120, 200, 128));
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static MultipartFormDataContent Form(string stage, params (byte[] Bytes, string Name)[] files)
    {
        var form = new MultipartFormDataContent { { new StringContent(stage), "stage" } };
        foreach (var (bytes, name) in files)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(part, "photos", name);
        }
        return form;
    }

    private async Task<(HttpClient Resident, Guid Id)> OrderAsync()
    {
        var resident = await app.ApiAsAsync(Clients.Resident, totpKey: null);
        var categories = await (await resident.GetAsync("/api/work-order-categories")).JsonAsync(HttpStatusCode.OK);
        var category = categories.EnumerateArray().First(c => c.GetProperty("name").GetString() == "路灯").GetProperty("id").GetGuid();
        var order = await (await resident.PostAsJsonAsync("/api/work-orders", new { categoryId = category, description = "路灯坏了", place = new { text = "南门" } }))
            .JsonAsync(HttpStatusCode.Created);
        return (resident, order.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Photos_are_stored_without_exif_with_thumbnails_and_only_who_sees_the_order_sees_them()
    {
        var (resident, id) = await OrderAsync();
        var withGps = JpegWithGps();
        System.Text.Encoding.ASCII.GetString(withGps).ShouldContain("Exif");
        var added = await (await resident.PostAsync($"/api/work-orders/{id}/photos", Form("Before", (withGps, "IMG_0001.jpg"), (Png(), "screen.png")))).JsonAsync(HttpStatusCode.OK);
        var photos = added.GetProperty("photos").EnumerateArray().ToList();
        photos.Count.ShouldBe(2);

        var full = await resident.GetAsync(photos[0].GetProperty("url").GetString());
        full.StatusCode.ShouldBe(HttpStatusCode.OK);
        full.Content.Headers.ContentType!.MediaType.ShouldBe("image/jpeg");
        var stored = await full.Content.ReadAsByteArrayAsync();
        System.Text.Encoding.ASCII.GetString(stored).ShouldNotContain("Exif");
        using (var decoded = SKBitmap.Decode(stored)) decoded.Width.ShouldBe(400);
        var thumb = await (await resident.GetAsync(photos[0].GetProperty("thumbnailUrl").GetString())).Content.ReadAsByteArrayAsync();
        using (var t = SKBitmap.Decode(thumb)) Math.Max(t.Width, t.Height).ShouldBe(320);

        // Another community's secretary and a partner unit without the order see nothing.
        (await (await app.ApiAsAsync(Clients.OtherSecretary)).GetAsync(photos[0].GetProperty("url").GetString())).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await (await app.ApiAsAsync(WorkOrderFlowTests.PartnerMember)).GetAsync(photos[0].GetProperty("url").GetString())).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await (await app.ApiAsAsync(Clients.Staff)).GetAsync(photos[1].GetProperty("thumbnailUrl").GetString())).StatusCode.ShouldBe(HttpStatusCode.OK);

        // After-photos only once a handler has it.
        (await resident.PostAsync($"/api/work-orders/{id}/photos", Form("After", (Png(), "after.png")))).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Not_a_photo_too_large_or_a_tenth_photo_is_refused_and_nothing_is_kept()
    {
        var (resident, id) = await OrderAsync();
        async Task<JsonElement> PhotosAsync() => (await (await resident.GetAsync($"/api/work-orders/{id}")).JsonAsync(HttpStatusCode.OK)).GetProperty("photos");

        // A text file named .jpg, and a file with a JPEG signature that does not decode.
        await (await resident.PostAsync($"/api/work-orders/{id}/photos", Form("Before", ("这不是照片"u8.ToArray(), "fake.jpg")))).ShouldBeFieldErrorAsync("Photos");
        await (await resident.PostAsync($"/api/work-orders/{id}/photos", Form("Before", ([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4, 5, 6], "broken.jpg")))).ShouldBeFieldErrorAsync("Photos");
        // One good photo and one bad in the same upload: neither is kept.
        await (await resident.PostAsync($"/api/work-orders/{id}/photos", Form("Before", (Png(), "ok.png"), ("x"u8.ToArray(), "bad.png")))).ShouldBeFieldErrorAsync("Photos");
        (await PhotosAsync()).GetArrayLength().ShouldBe(0);

        // 11 MB with a JPEG signature: 413 as soon as the eleventh megabyte arrives.
        var big = new byte[11 * 1024 * 1024];
        JpegWithGps().CopyTo(big, 0);
        var tooLarge = await resident.PostAsync($"/api/work-orders/{id}/photos", Form("Before", (big, "big.jpg")));
        tooLarge.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        // A 100 MB request is refused from its declared length, before its body is read.
        (await resident.PostAsync($"/api/work-orders/{id}/photos", Form("Before", (new byte[100 * 1024 * 1024], "huge.jpg")))).StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);

        // Nine at most per order and stage: a tenth is refused.
        var nine = Enumerable.Range(0, 9).Select(i => (Png(), $"p{i}.png")).ToArray();
        (await resident.PostAsync($"/api/work-orders/{id}/photos", Form("Before", nine))).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await resident.PostAsync($"/api/work-orders/{id}/photos", Form("Before", (Png(), "p10.png")))).ShouldBeFieldErrorAsync("Photos");
        (await PhotosAsync()).GetArrayLength().ShouldBe(9);
    }
}
