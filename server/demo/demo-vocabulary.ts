export const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '高', '罗'] as const;
export const GIVEN_NAMES = ['伟', '芳', '娜', '敏', '静', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '秀英', '华', '慧', '建国', '婷', '宇轩', '子涵', '欣怡', '浩然', '梓萱'] as const;
export const RELATIONS = ['父亲', '母亲', '祖父', '祖母', '其他监护人'] as const;
export const PROVINCES = ['山东省', '河南省', '河北省', '江苏省', '安徽省', '四川省', '湖北省', '山西省'] as const;
export const COLLEGES = [
  { code: 'JX', name: '机械工程系', majors: ['机械制造', '数控技术', '工业机器人'] },
  { code: 'XX', name: '信息工程系', majors: ['软件技术', '计算机网络', '大数据技术'] },
  { code: 'HG', name: '化学工程系', majors: ['应用化工', '食品检测', '环境工程'] },
  { code: 'JG', name: '经济管理系', majors: ['会计', '电子商务', '市场营销'] },
] as const;
